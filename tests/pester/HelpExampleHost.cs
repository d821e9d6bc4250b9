// The host the help examples run in (tests/pester/HelpExamples.Tests.ps1): it stands for an operator at a terminal
// who confirms every prompt (Yes to All) and types only the answers the test gives for named prompts (such as the
// 'PFX password' of the ESKM setup). Any other request for keyboard input fails the example with a clear message
// instead of hanging. Everything written to the host is kept, to show with a failure.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace BackPak.Tests
{
    public sealed class ExampleHost : PSHost
    {
        private readonly ExampleHostUI ui;
        private readonly Guid id = Guid.NewGuid();

        public ExampleHost(IDictionary<string, string> answers) { ui = new ExampleHostUI(answers); }

        public ExampleHostUI ExampleUI { get { return ui; } }
        public override string Name { get { return "BackPakHelpExampleHost"; } }
        public override Version Version { get { return new Version(1, 0); } }
        public override Guid InstanceId { get { return id; } }
        public override PSHostUserInterface UI { get { return ui; } }
        public override CultureInfo CurrentCulture { get { return CultureInfo.CurrentCulture; } }
        public override CultureInfo CurrentUICulture { get { return CultureInfo.CurrentUICulture; } }
        public int? ExitCode { get; private set; }
        public override void SetShouldExit(int exitCode) { ExitCode = exitCode; }
        public override void EnterNestedPrompt() { throw new PSNotSupportedException("The example entered a nested prompt."); }
        public override void ExitNestedPrompt() { }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class ExampleHostUI : PSHostUserInterface
    {
        private readonly IDictionary<string, string> answers;
        private readonly ExampleRawUI raw = new ExampleRawUI();
        private readonly StringBuilder text = new StringBuilder();
        private string lastWrite = string.Empty;

        public ExampleHostUI(IDictionary<string, string> answers)
        {
            this.answers = answers ?? new Dictionary<string, string>();
        }

        // Each prompt the example met and how it was answered, in order.
        public List<string> Prompts { get; } = new List<string>();
        public string Text { get { lock (text) { return text.ToString(); } } }

        public override PSHostRawUserInterface RawUI { get { return raw; } }

        private void Append(string value)
        {
            lock (text) { if (text.Length < 200000) { text.Append(value); } }
            lastWrite = value ?? string.Empty;
        }

        private string Answer(string prompt)
        {
            string key = (prompt ?? string.Empty).Trim().TrimEnd(':').Trim();
            string value;
            if (answers.TryGetValue(key, out value))
            {
                Prompts.Add("typed the answer to '" + key + "'");
                return value;
            }
            Prompts.Add("no answer for '" + key + "'");
            throw new PSInvalidOperationException(
                "The example waits for keyboard input ('" + key + "') that its setup does not provide.");
        }

        private static SecureString Secure(string value)
        {
            var s = new SecureString();
            foreach (char c in value) { s.AppendChar(c); }
            s.MakeReadOnly();
            return s;
        }

        public override string ReadLine() { return Answer(lastWrite); }
        public override SecureString ReadLineAsSecureString() { return Secure(Answer(lastWrite)); }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            var result = new Dictionary<string, PSObject>();
            foreach (FieldDescription d in descriptions)
            {
                string value = Answer(d.Name);
                bool secure = d.ParameterTypeFullName == typeof(SecureString).FullName;
                result[d.Name] = secure ? PSObject.AsPSObject(Secure(value)) : PSObject.AsPSObject(value);
            }
            return result;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
        {
            Answer("credential for " + (targetName ?? userName));
            return null;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        {
            return PromptForCredential(caption, message, userName, targetName);
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            // The operator confirms: Yes to All where offered, else Yes, else the default.
            int pick = -1;
            foreach (string wanted in new[] { "Yes to All", "Yes" })
            {
                for (int i = 0; i < choices.Count && pick < 0; i++)
                {
                    if (string.Equals(choices[i].Label.Replace("&", string.Empty), wanted, StringComparison.OrdinalIgnoreCase)) { pick = i; }
                }
                if (pick >= 0) { break; }
            }
            if (pick < 0) { pick = defaultChoice; }
            if (pick < 0) { throw new PSInvalidOperationException("The example asks '" + message + "' with no Yes and no default."); }
            Prompts.Add("answered '" + choices[pick].Label.Replace("&", string.Empty) + "' to '" + (caption + ": " + message).Trim() + "'");
            Append((caption ?? string.Empty) + Environment.NewLine + (message ?? string.Empty) + Environment.NewLine);
            return pick;
        }

        public override void Write(string value) { Append(value); }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { Append(value); }
        public override void WriteLine(string value) { Append(value + Environment.NewLine); }
        public override void WriteErrorLine(string value) { Append("ERROR: " + value + Environment.NewLine); }
        public override void WriteDebugLine(string message) { Append("DEBUG: " + message + Environment.NewLine); }
        public override void WriteVerboseLine(string message) { Append("VERBOSE: " + message + Environment.NewLine); }
        public override void WriteWarningLine(string message) { Append("WARNING: " + message + Environment.NewLine); }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
    }

    public sealed class ExampleRawUI : PSHostRawUserInterface
    {
        private Size buffer = new Size(160, 9999);
        private Size window = new Size(160, 50);

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get { return buffer; } set { buffer = value; } }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; } = 25;
        public override bool KeyAvailable { get { return false; } }
        public override Size MaxPhysicalWindowSize { get { return window; } }
        public override Size MaxWindowSize { get { return window; } }
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get { return window; } set { window = value; } }
        public override string WindowTitle { get; set; } = string.Empty;
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) { throw new PSNotSupportedException("The example host has no screen buffer."); }
        public override KeyInfo ReadKey(ReadKeyOptions options) { throw new PSInvalidOperationException("The example waits for a key press."); }
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
