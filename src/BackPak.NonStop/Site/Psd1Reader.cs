using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using BackPak.Core.Errors;

namespace BackPak.NonStop.Site
{
    /// <summary>The kinds of value in a PowerShell data file.</summary>
    public enum PsdKind
    {
        Hashtable,
        Array,
        String,
        Number,
        Boolean,
        Null,
    }

    /// <summary>A value read from a .psd1 (or handed over as a hashtable), with where it was written when known.</summary>
    public sealed class PsdValue
    {
        private PsdValue(PsdKind kind, int line, int column)
        {
            Kind = kind;
            Line = line;
            Column = column;
        }

        public PsdKind Kind { get; }

        /// <summary>1-based line in the file, or 0 when the value came from a hashtable in memory.</summary>
        public int Line { get; }
        public int Column { get; }
        public string? Text { get; private set; }
        public long Number { get; private set; }
        public bool Boolean { get; private set; }

        /// <summary>A hashtable's entries in file order, keys as written (compared without case, as PowerShell does).</summary>
        public IReadOnlyList<KeyValuePair<PsdKey, PsdValue>> Entries { get; private set; } = Array.Empty<KeyValuePair<PsdKey, PsdValue>>();
        public IReadOnlyList<PsdValue> Items { get; private set; } = Array.Empty<PsdValue>();

        internal bool IsCommaList { get; set; }

        internal static PsdValue Str(string s, int l, int c) => new PsdValue(PsdKind.String, l, c) { Text = s };
        internal static PsdValue Num(long n, int l, int c) => new PsdValue(PsdKind.Number, l, c) { Number = n };
        internal static PsdValue Bool(bool b, int l, int c) => new PsdValue(PsdKind.Boolean, l, c) { Boolean = b };
        internal static PsdValue NullValue(int l, int c) => new PsdValue(PsdKind.Null, l, c);
        internal static PsdValue Table(List<KeyValuePair<PsdKey, PsdValue>> e, int l, int c) => new PsdValue(PsdKind.Hashtable, l, c) { Entries = e };
        internal static PsdValue List(List<PsdValue> i, int l, int c) => new PsdValue(PsdKind.Array, l, c) { Items = i };

        /// <summary>
        /// Converts a hashtable handed over in memory (what Import-PowerShellDataFile returns, for a future cmdlet):
        /// strings, integers, booleans, null, nested dictionaries and arrays. Anything else is refused.
        /// </summary>
        public static PsdValue FromObject(object? value, string path = "")
        {
            switch (value)
            {
                case null: return NullValue(0, 0);
                case string s: return Str(s, 0, 0);
                case bool b: return Bool(b, 0, 0);
                case int i: return Num(i, 0, 0);
                case long l: return Num(l, 0, 0);
                case IDictionary d:
                    var entries = new List<KeyValuePair<PsdKey, PsdValue>>();
                    foreach (DictionaryEntry e in d)
                    {
                        string key = e.Key as string ?? throw Psd1Reader.Invalid($"{path}: a key is not a string", 0, 0, null);
                        entries.Add(new KeyValuePair<PsdKey, PsdValue>(new PsdKey(key, 0, 0), FromObject(e.Value, path.Length == 0 ? key : path + "." + key)));
                    }
                    return Table(entries, 0, 0);
                case IEnumerable list:
                    var items = new List<PsdValue>();
                    int n = 0;
                    foreach (object? o in list) items.Add(FromObject(o, $"{path}[{n++}]"));
                    return List(items, 0, 0);
                default:
                    throw Psd1Reader.Invalid($"{path}: a value of type {value.GetType().Name} cannot be in a site description", 0, 0, null);
            }
        }
    }

    /// <summary>A hashtable key and where it was written.</summary>
    public sealed class PsdKey
    {
        public PsdKey(string name, int line, int column)
        {
            Name = name;
            Line = line;
            Column = column;
        }

        public string Name { get; }
        public int Line { get; }
        public int Column { get; }
    }

    /// <summary>
    /// A reader of the PowerShell data-file subset a site description needs, so the provider engine reads .psd1
    /// files without PowerShell: hashtables <c>@{ }</c>, arrays <c>@( )</c> and comma lists, single-quoted strings
    /// (<c>''</c> for a quote), double-quoted strings without <c>$</c> or backtick (they would expand in PowerShell,
    /// and NonStop names are full of <c>$</c>: such a string is refused with a hint to use single quotes), integers,
    /// <c>$true</c>, <c>$false</c>, <c>$null</c>, and <c>#</c> and <c>&lt;# #&gt;</c> comments. A file it accepts
    /// gives the same values under Import-PowerShellDataFile.
    /// </summary>
    public sealed class Psd1Reader
    {
        private readonly string _text;
        private readonly string? _file;
        private int _pos, _line = 1, _col = 1;

        private Psd1Reader(string text, string? file)
        {
            _text = text;
            _file = file;
        }

        public static PsdValue Parse(string text, string? file = null)
        {
            var r = new Psd1Reader(text, file);
            r.SkipBlank(newlines: true);
            var v = r.Value();
            r.SkipBlank(newlines: true);
            if (r._pos < r._text.Length) throw r.Error("unexpected text after the closing '}' of the description");
            if (v.Kind != PsdKind.Hashtable) throw Invalid("a site description is one hashtable: @{ ... }", v.Line, v.Column, file);
            return v;
        }

        private PsdValue Value()
        {
            var first = Single();
            SkipBlank(newlines: false);
            if (Peek() != ',') return first;
            var items = new List<PsdValue> { first };
            while (Peek() == ',')
            {
                Advance();
                SkipBlank(newlines: true);
                items.Add(Single());
                SkipBlank(newlines: false);
            }
            var list = PsdValue.List(items, first.Line, first.Column);
            list.IsCommaList = true;
            return list;
        }

        private PsdValue Single()
        {
            int l = _line, c = _col;
            char ch = Peek();
            if (ch == '@' && PeekAt(1) == '{') { Advance(); Advance(); return Hashtable(l, c); }
            if (ch == '@' && PeekAt(1) == '(') { Advance(); Advance(); return Array(l, c); }
            if (ch == '@' && (PeekAt(1) == '\'' || PeekAt(1) == '"')) throw Error("here-strings (@' '@) are not supported: use a single-quoted string");
            if (ch == '\'') return PsdValue.Str(SingleQuoted(), l, c);
            if (ch == '"') return PsdValue.Str(DoubleQuoted(), l, c);
            if (ch == '$')
            {
                string word = Word(1);
                switch (word.ToLowerInvariant())
                {
                    case "$true": return PsdValue.Bool(true, l, c);
                    case "$false": return PsdValue.Bool(false, l, c);
                    case "$null": return PsdValue.NullValue(l, c);
                    default: throw Invalid($"'{word}' is a variable; a data file may hold only $true, $false and $null (quote NonStop names such as '$DATA1' in single quotes)", l, c, _file);
                }
            }
            if (ch == '-' || (ch >= '0' && ch <= '9'))
            {
                string word = Word(0);
                if (long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)) return PsdValue.Num(n, l, c);
                throw Invalid($"'{word}' is not a whole number", l, c, _file);
            }
            if (_pos >= _text.Length) throw Error("the description ends where a value was expected");
            throw Error($"'{ch}' cannot start a value: use a quoted string, a number, $true, $false, $null, @{{ }} or @( )");
        }

        private PsdValue Hashtable(int l, int c)
        {
            var entries = new List<KeyValuePair<PsdKey, PsdValue>>();
            var seen = new Dictionary<string, PsdKey>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                SkipSeparators();
                if (Peek() == '}') { Advance(); return PsdValue.Table(entries, l, c); }
                if (_pos >= _text.Length) throw Invalid("a hashtable opened here is not closed with '}'", l, c, _file);
                int kl = _line, kc = _col;
                string key;
                char ch = Peek();
                if (ch == '\'') key = SingleQuoted();
                else if (ch == '"') key = DoubleQuoted();
                else
                {
                    key = Word(0);
                    if (key.Length == 0 || !IsKey(key)) throw Invalid($"'{(key.Length == 0 ? ch.ToString() : key)}' is not a key: a key is a name such as Host, or a quoted string", kl, kc, _file);
                }
                if (seen.TryGetValue(key, out var before))
                    throw Invalid($"the key '{key}' appears twice in one hashtable (first on line {before.Line})", kl, kc, _file);
                var pk = new PsdKey(key, kl, kc);
                seen[key] = pk;
                SkipBlank(newlines: false);
                if (Peek() != '=') throw Error($"'=' expected after the key '{key}'");
                Advance();
                SkipBlank(newlines: true);
                entries.Add(new KeyValuePair<PsdKey, PsdValue>(pk, Value()));
                SkipBlank(newlines: false);
                char end = Peek();
                if (end != ';' && end != '\n' && end != '\r' && end != '}' && end != '#')
                    throw Error($"after the value of '{key}', expected a new line, ';' or '}}'");
            }
        }

        private PsdValue Array(int l, int c)
        {
            var items = new List<PsdValue>();
            while (true)
            {
                SkipSeparators();
                if (Peek() == ')') { Advance(); return PsdValue.List(items, l, c); }
                if (_pos >= _text.Length) throw Invalid("an array opened here is not closed with ')'", l, c, _file);
                var v = Value();
                // Inside @( ), a comma list is flattened, as PowerShell does; an element written as @( ) stays nested.
                if (v.IsCommaList) items.AddRange(v.Items); else items.Add(v);
                SkipBlank(newlines: false);
                char end = Peek();
                if (end != ';' && end != '\n' && end != '\r' && end != ')' && end != ',' && end != '#')
                    throw Error("expected ',', a new line or ')' in the array");
                if (end == ',') Advance();
            }
        }

        private string SingleQuoted()
        {
            int l = _line, c = _col;
            Advance();
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length) throw Invalid("a string opened here with ' is not closed", l, c, _file);
                char ch = Advance();
                if (ch == '\'')
                {
                    if (Peek() == '\'') { Advance(); sb.Append('\''); continue; }
                    return sb.ToString();
                }
                sb.Append(ch);
            }
        }

        private string DoubleQuoted()
        {
            int l = _line, c = _col;
            Advance();
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length) throw Invalid("a string opened here with \" is not closed", l, c, _file);
                char ch = Advance();
                if (ch == '"')
                {
                    if (Peek() == '"') { Advance(); sb.Append('"'); continue; }
                    return sb.ToString();
                }
                if (ch == '$' || ch == '`')
                    throw Invalid($"a double-quoted string holds '{ch}', which PowerShell would expand: write it in single quotes (for example '$DATA1')", l, c, _file);
                sb.Append(ch);
            }
        }

        private string Word(int start)
        {
            int from = _pos;
            if (start > 0) Advance();
            while (_pos < _text.Length)
            {
                char ch = _text[_pos];
                if (char.IsLetterOrDigit(ch) || ch == '_' || ch == '-' || ch == '.') Advance(); else break;
            }
            return _text.Substring(from, _pos - from);
        }

        private static bool IsKey(string k)
        {
            if (!(char.IsLetter(k[0]) || k[0] == '_')) return false;
            foreach (char ch in k) if (!(char.IsLetterOrDigit(ch) || ch == '_')) return false;
            return true;
        }

        private void SkipSeparators()
        {
            while (true)
            {
                SkipBlank(newlines: true);
                if (Peek() == ';') { Advance(); continue; }
                return;
            }
        }

        private void SkipBlank(bool newlines)
        {
            while (_pos < _text.Length)
            {
                char ch = _text[_pos];
                if (ch == ' ' || ch == '\t' || ch == '\uFEFF') { Advance(); continue; }
                if (newlines && (ch == '\n' || ch == '\r')) { Advance(); continue; }
                if (ch == '#') { while (_pos < _text.Length && _text[_pos] != '\n') Advance(); continue; }
                if (ch == '<' && PeekAt(1) == '#')
                {
                    int l = _line, c = _col;
                    int end = _text.IndexOf("#>", _pos + 2, StringComparison.Ordinal);
                    if (end < 0) throw Invalid("a <# comment opened here is not closed with #>", l, c, _file);
                    while (_pos < end + 2) Advance();
                    continue;
                }
                if (ch == '`' && (PeekAt(1) == '\n' || PeekAt(1) == '\r')) { Advance(); continue; }
                return;
            }
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';
        private char PeekAt(int k) => _pos + k < _text.Length ? _text[_pos + k] : '\0';

        private char Advance()
        {
            char ch = _text[_pos++];
            if (ch == '\n') { _line++; _col = 1; } else _col++;
            return ch;
        }

        private BackPakException Error(string message) => Invalid(message, _line, _col, _file);

        internal static BackPakException Invalid(string message, int line, int column, string? file)
        {
            string where = line > 0 ? $"{(file ?? "the site description")}, line {line}, column {column}: " : $"{(file ?? "the site description")}: ";
            return new BackPakException(ErrorIds.SiteDescriptionInvalid, BackPakErrorCategory.InvalidData, where + message,
                target: file, stopsInvocation: true,
                recommendedAction: "Correct the site description at that place; New-BPSiteDescription writes a commented template showing every key.");
        }
    }
}
