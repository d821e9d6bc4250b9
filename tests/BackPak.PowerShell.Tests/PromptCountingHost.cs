using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace BackPak.PowerShell.Tests
{
    /// <summary>A host that answers every confirmation prompt with a fixed choice and records the prompts.</summary>
    public sealed class PromptCountingHost : PSHost
    {
        private readonly Ui _ui;
        public PromptCountingHost(int answer) { _ui = new Ui(answer); }
        public List<string> Prompts => _ui.Prompts;
        public List<string> Lines => _ui.Lines;
        /// <summary>Every progress record the host was given, in order.</summary>
        public List<ProgressRecord> Progress => _ui.Progress;
        /// <summary>Called with each progress record as it comes (a test may stop the pipeline there, as Ctrl-C would).</summary>
        public Action<ProgressRecord>? OnProgress { get => _ui.OnProgress; set => _ui.OnProgress = value; }
        public override string Name => "PromptCountingHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }

        private sealed class Ui : PSHostUserInterface
        {
            private readonly int _answer;
            public Ui(int answer) { _answer = answer; }
            public readonly List<string> Prompts = new List<string>();
            public readonly List<string> Lines = new List<string>();
            public readonly List<ProgressRecord> Progress = new List<ProgressRecord>();
            public Action<ProgressRecord>? OnProgress;
            public override PSHostRawUserInterface? RawUI => null;
            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                Prompts.Add(message);
                return _answer;
            }
            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
            public override string ReadLine() => "";
            public override SecureString ReadLineAsSecureString() => new SecureString();
            public override void Write(string value) => Lines.Add(value);
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Add(value);
            public override void WriteLine(string value) => Lines.Add(value);
            public override void WriteErrorLine(string value) => Lines.Add(value);
            public override void WriteDebugLine(string message) { }
            public override void WriteProgress(long sourceId, ProgressRecord record)
            {
                lock (Progress) Progress.Add(record);
                OnProgress?.Invoke(record);
            }
            public override void WriteVerboseLine(string message) { }
            public override void WriteWarningLine(string message) => Lines.Add(message);
        }
    }
}
