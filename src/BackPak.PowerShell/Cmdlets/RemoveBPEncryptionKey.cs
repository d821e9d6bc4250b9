using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Deletes encryption keys in the key manager, the last and optional step of a decommission (R14): refuses
    /// everything unless every domain that could use the key manager is connected, locates each key by Media Key
    /// Name, reads its state, refuses it while a catalogued volume of a connected domain uses it (catalog entry or
    /// storage image), revokes it when Active, then destroys it.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "BPEncryptionKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(KeyRemovalResult))]
    public sealed class RemoveBPEncryptionKeyCommand : BPKeyManagerCmdlet
    {
        /// <summary>Names planned together: a batching key manager is asked once per chunk, not once per key.</summary>
        private const int ChunkSize = 25;

        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<string> _pending = new List<string>();
        private readonly Stopwatch _progressClock = Stopwatch.StartNew();
        private KeyRemoval? _removal;
        private IReadOnlyList<IDomainReader> _domains = new IDomainReader[0];
        private int _done;

        /// <summary>Media Key Names of the keys to delete.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("MediaKeyName")]
        [Selection]
        [AllowNull]
        [AllowEmptyCollection]
        [ArgumentCompleter(typeof(MediaKeyNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Why an Active key is revoked before it is destroyed.</summary>
        [Parameter]
        public KeyRevocationReason Reason { get; set; } = KeyRevocationReason.CessationOfOperation;

        /// <summary>Do not prompt. Never overrides a safety rule: a key in use is still refused.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit one result per key.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginBackPak()
        {
            var connection = KeyManagerConnection;
            _domains = ConnectedDomains;
            var audit = DomainSessions.Default is { IsOpen: true } d ? d.Domain as IAuditSink : null;
            _removal = new KeyRemoval(connection.KeyManager, connection.BackPakId, _domains, audit) { Reason = Reason };
            WriteVerbose($"Key manager {connection.Endpoint} (Key Manager {connection.BackPakId}) serves the domains of {string.Join(", ", _removal.Scope.ServedNodes)}; " +
                $"catalogs and storage images of {string.Join(", ", _domains.Select(x => x.Node))} are checked for every key.");
        }

        protected override void ProcessBackPakRecord()
        {
            if (Name == null) return; // a clear volume from the pipeline: it has no key
            foreach (var name in Name)
            {
                if (string.IsNullOrEmpty(name) || !_seen.Add(name)) continue; // each key once, however many volumes use it
                _pending.Add(name);
                if (_pending.Count >= ChunkSize) Flush();
            }
        }

        /// <summary>Plans the pending names together, then asks and removes key by key.</summary>
        private void Flush()
        {
            var names = _pending.ToArray();
            _pending.Clear();
            IReadOnlyList<KeyRemovalPlan> plans;
            try
            {
                plans = _removal!.Plan(names);
            }
            catch (BackPakException e)
            {
                WriteBackPakError(e);
                return;
            }
            foreach (var plan in plans)
            {
                try { Remove(plan); }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
        }

        protected override void EndBackPak()
        {
            if (_pending.Count > 0) Flush();
            if (_done > 0)
                WriteProgress(new ProgressRecord(1, "Removing encryption keys", "Done") { RecordType = ProgressRecordType.Completed });
        }

        private void Remove(KeyRemovalPlan plan)
        {
            bool whatIf = WhatIfMode;
            KeyRemovalResult result;
            BackPakException? failure;
            if (plan.AlreadyAbsent || plan.IsReferenced)
            {
                // Nothing to change either way (absent, missing on the server, or refused), so nothing to confirm:
                // report it (a dry run records no audit).
                result = _removal!.Remove(plan, out failure, record: !whatIf);
            }
            else
            {
                if (!Approved(plan)) return;
                result = _removal!.Remove(plan, out failure);
            }

            Progress(plan.Name);
            if (failure != null) WriteBackPakError(failure);
            else if (result.Warning != null) WriteWarning(result.Warning);
            else if (result.AlreadyAbsent)
                WriteVerbose($"Encryption key '{plan.Name}' is already absent from {plan.KeyManager}" +
                    (plan.Key != null ? $" (unique id {plan.Key.UniqueId}, {plan.Key.State})." : "."));
            else
                WriteVerbose($"Encryption key '{plan.Name}' (unique id {result.UniqueId}) on {plan.KeyManager}: " +
                    (result.Revoked ? $"revoked ({Reason}) and destroyed." : $"destroyed (it was {result.StateBefore})."));
            if (PassThru && !whatIf) WriteObject(result);
        }

        /// <summary>
        /// Asked per key once the key is located and its references counted, so the prompt and -WhatIf name the
        /// key, its unique id and its volumes. -Force skips the prompt, never -WhatIf.
        /// </summary>
        private bool Approved(KeyRemovalPlan plan)
        {
            string action = plan.Describe(Reason);
            if (Force && !WhatIfMode && !ConfirmAsked) return true;
            return ShouldProcess(plan.Target, action);
        }

        private bool WhatIfMode =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w)
                ? ((SwitchParameter)w).IsPresent
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        private bool ConfirmAsked =>
            MyInvocation.BoundParameters.TryGetValue("Confirm", out var c) && ((SwitchParameter)c).IsPresent;

        private void Progress(string name)
        {
            _done++;
            if (_progressClock.ElapsedMilliseconds < 250) return;
            _progressClock.Restart();
            WriteProgress(new ProgressRecord(1, "Removing encryption keys", $"{_done} key(s) handled; now '{name}'"));
        }
    }
}
