using System;
using System.Text;

namespace BackPak.NonStop.Commands
{
    /// <summary>What a command does to the node: reads change nothing; changes must be verified by a read.</summary>
    public enum CommandEffect
    {
        Read,
        Change,
    }

    /// <summary>The program that answers a command, which decides how its report is read.</summary>
    public enum CommandProgram
    {
        Mediacom,
        Tmfcom,
        BackPakMacro,
    }

    /// <summary>
    /// How the node's SSH server runs an exec request (SSH Reference Manual p128): by default in an OSS shell, where
    /// TACL is reached through <c>gtacl -c '…'</c>; or straight into TACL when the site's SSH USER record forces a
    /// TACL service (SHELL-PROGRAM … FORCE, same page), where the TACL line is sent as it is.
    /// </summary>
    public enum CommandForm
    {
        OssShell,
        Tacl,
    }

    /// <summary>
    /// One command built from a fixed template (<see cref="NonStopCommands"/>): its TACL line and what it does. It
    /// cannot be made from free text: the constructor is internal, and every argument was checked against the
    /// NonStop name rules and against the TACL-inert alphabet before the line was put together.
    /// </summary>
    public sealed class NonStopCommand
    {
        /// <summary>Longest TACL line a template may produce (well inside gtacl's operand limit, OSS p380).</summary>
        public const int MaxLineLength = 512;

        internal NonStopCommand(string template, CommandProgram program, CommandEffect effect, string taclLine)
        {
            Template = template;
            Program = program;
            Effect = effect;
            TaclLine = taclLine;
        }

        /// <summary>The template's name, e.g. "MEDIACOM INFO TAPEVOLUME".</summary>
        public string Template { get; }
        public CommandProgram Program { get; }
        public CommandEffect Effect { get; }

        /// <summary>The TACL command line, e.g. <c>MEDIACOM INFO TAPEVOLUME AB*, VOLCAT VCAT1, DETAIL</c>.</summary>
        public string TaclLine { get; }

        /// <summary>The text of the exec request for the given form (what the SSH server receives).</summary>
        public string ExecText(CommandForm form) => form == CommandForm.Tacl ? TaclLine : "gtacl -c '" + TaclLine + "'";

        public override string ToString() => TaclLine;
    }

    /// <summary>
    /// Builds TACL lines from template text and checked arguments. The template text is ours; an argument may only
    /// hold characters that are inert both inside POSIX single quotes (the OSS shell) and to TACL: letters, digits
    /// and <c>$ \ . * ? _ -</c>. No space, comma, quote, ';', '|', '[', ']', '{', '}', '=', '~', '^', '&amp;', '/'
    /// or control character can come from an argument, so none can end the string, start a new command, a comment
    /// (<c>==</c>), a TACL function call or a routine. This check runs after the name rules, as a second, independent
    /// guard.
    /// </summary>
    internal sealed class TaclLineBuilder
    {
        private readonly StringBuilder _line = new StringBuilder();
        private readonly string _template;

        public TaclLineBuilder(string template, string fixedText)
        {
            _template = template;
            _line.Append(fixedText);
        }

        public TaclLineBuilder Text(string fixedText)
        {
            _line.Append(fixedText);
            return this;
        }

        public TaclLineBuilder Arg(string checkedValue)
        {
            if (checkedValue.Length == 0) throw Unsafe(checkedValue);
            foreach (char c in checkedValue)
                if (!IsInert(c)) throw Unsafe(checkedValue);
            _line.Append(checkedValue);
            return this;
        }

        public NonStopCommand Build(CommandProgram program, CommandEffect effect)
        {
            string line = _line.ToString();
            if (line.Length > NonStopCommand.MaxLineLength)
                throw NonStopErrors.InvalidName("command", line, $"a command line of at most {NonStopCommand.MaxLineLength} characters (too many names in one command)");
            return new NonStopCommand(_template, program, effect, line);
        }

        internal static bool IsInert(char c) =>
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '$' || c == '\\' || c == '.' || c == '*' || c == '?' || c == '_' || c == '-';

        private Exception Unsafe(string value) =>
            NonStopErrors.InvalidName($"argument of {_template}", value, "only letters, digits and $ \\ . * ? _ - may be sent to TACL");
    }
}
