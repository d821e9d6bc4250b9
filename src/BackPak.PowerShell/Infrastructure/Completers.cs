using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;

namespace BackPak.PowerShell
{
    /// <summary>Shared plumbing of the completers: they read local state only and never fail a keystroke.</summary>
    internal static class Completion
    {
        public static IEnumerable<CompletionResult> Results(IEnumerable<string> names, string wordToComplete, string what)
        {
            string prefix = wordToComplete.Trim('\'', '"');
            return names.Distinct(StringComparer.OrdinalIgnoreCase)
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, what + " " + n));
        }

        private static string Quote(string n) =>
            n.IndexOfAny(new[] { ' ', '\\', '$', '\'' }) >= 0 ? "'" + n.Replace("'", "''") + "'" : n;

        /// <summary>The domain a completion is for: the -Domain already typed, else the default connection.</summary>
        public static IDomainReader? Domain(IDictionary fakeBoundParameters)
        {
            object? d = fakeBoundParameters["Domain"];
            if (d is PSObject p) d = p.BaseObject;
            if (d is DomainConnection c && c.IsOpen) return c.Domain;
            if (d is string node) return DomainSessions.FindByNode(BackPak.Core.Text.Names.NormalizeNode(node))?.Domain;
            return DomainSessions.Default?.Domain;
        }

        /// <summary>The domains a completion reads: the one -Domain names, if typed, else every open connection.</summary>
        public static IReadOnlyList<IDomainReader> Domains(IDictionary fakeBoundParameters) =>
            fakeBoundParameters.Contains("Domain") && Domain(fakeBoundParameters) is { } one
                ? new[] { one }
                : DomainSessions.All.Where(c => c.IsOpen).Select(c => c.Domain).ToArray();

        public static IEnumerable<CompletionResult> Safely(Func<IEnumerable<CompletionResult>> f)
        {
            try { return f().ToList(); }
            catch (Exception) { return Enumerable.Empty<CompletionResult>(); } // a completer must never break the prompt
        }
    }

    /// <summary>Completes the nodes of connected domains (for -Domain).</summary>
    public sealed class ConnectedNodeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(() => Completion.Results(DomainSessions.All.Select(c => c.Node), wordToComplete, "Connected domain on"));
    }

    /// <summary>
    /// Completes the nodes of the lab named by -Lab (for Connect-BPDomain -Node), as the lab provider lists them
    /// (IProviderNodes): the module finds the lab by name, as it finds it to connect.
    /// </summary>
    public sealed class ProviderNodeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(() =>
            {
                var lab = fakeBoundParameters["Lab"]?.ToString();
                if (string.IsNullOrEmpty(lab)) return Enumerable.Empty<CompletionResult>();
                // Resolve ./lab or TestDrive:/lab the way Connect-BPDomain will, in the session being completed.
                using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
                ps.AddScript("param($p) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p)").AddArgument(lab);
                string path = ps.Invoke<string>().FirstOrDefault() ?? lab!;
                if (!Directory.Exists(path)) return Enumerable.Empty<CompletionResult>();
                if (!(ProviderRegistry.BuiltInProviders().FirstOrDefault(p => p.Name == "Lab") is IProviderNodes provider)) return Enumerable.Empty<CompletionResult>();
                return Completion.Results(provider.ListNodes(new Dictionary<string, object?> { ["Path"] = path }), wordToComplete, "Lab node");
            });
    }

    /// <summary>Completes provider names: the built-in ones and the registry's (local state only: no module is imported).</summary>
    public sealed class ProviderNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(() => Completion.Results(ProviderRegistry.BuiltInProviders().Select(p => p.Name).Concat(ProviderRegistry.Registered().Select(e => e.Name)).ToList(), wordToComplete, "BackPak provider"));
    }

    /// <summary>Completes data store names of the domain in use.</summary>
    public sealed class DataStoreCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(() => Completion.Results(
                Completion.Domain(fakeBoundParameters)?.GetDataStores().Select(s => s.Name) ?? Enumerable.Empty<string>(),
                wordToComplete, "Data store"));
    }

    /// <summary>Completes volume group names of the domain in use, within -DataStore when it is given.</summary>
    public sealed class VolumeGroupCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(() =>
            {
                var domain = Completion.Domain(fakeBoundParameters);
                if (domain == null) return Enumerable.Empty<CompletionResult>();
                string? store = fakeBoundParameters["DataStore"]?.ToString();
                return Completion.Results(domain.GetVolumeGroups(string.IsNullOrEmpty(store) ? null : store).Select(g => g.Name),
                    wordToComplete, "Volume group");
            });
    }
}

namespace BackPak.PowerShell
{
    /// <summary>
    /// Completes audit actions (Get-BPAuditRecord -Action) from local state only: the changes the module records and the
    /// names of its commands that change things, with no domain read.
    /// </summary>
    public sealed class AuditActionCompleter : IArgumentCompleter
    {
        private static readonly Lazy<string[]> Names = new Lazy<string[]>(() =>
            BackPak.Core.Audit.AuditActions.Known.Concat(
                typeof(AuditActionCompleter).Assembly.GetTypes()
                    .Select(t => (CmdletAttribute?)Attribute.GetCustomAttribute(t, typeof(CmdletAttribute)))
                    .Where(a => a != null && a.SupportsShouldProcess)
                    .Select(a => a!.VerbName + "-" + a.NounName))
                .Distinct(StringComparer.OrdinalIgnoreCase).ToArray());

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(() => Completion.Results(Names.Value, wordToComplete, "Audit action"));
    }

    /// <summary>
    /// Completes operation ids (-OperationId) from the audit trails of the connected domains (the one -Domain names, if
    /// typed), newest first, each described by its command, target and start time.
    /// </summary>
    public sealed class OperationIdCompleter : IArgumentCompleter
    {
        private const int Newest = 50;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(() =>
            {
                string prefix = wordToComplete.Trim('\'', '"');
                var domains = Completion.Domains(fakeBoundParameters);
                var query = new BackPak.Core.Audit.AuditQuery { Kinds = new[] { AuditKind.Start }, Last = Newest };
                return domains
                    .OfType<IAuditSink>().SelectMany(d => BackPak.Core.Audit.AuditTrail.Find(d, query).Records)
                    .Where(r => r.OperationId.Length > 0 && r.OperationId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .GroupBy(r => r.OperationId, StringComparer.OrdinalIgnoreCase)
                    .Select(g => g.First())
                    .OrderByDescending(r => r.At).ThenByDescending(r => r.OperationId, StringComparer.Ordinal)
                    .Select(r => new CompletionResult(r.OperationId, r.OperationId, CompletionResultType.ParameterValue,
                        $"{r.Action} {r.Target} on {r.Node} at {AuditRecord.IsoTime(r.At)} by {r.User}"));
            });
    }
}

namespace BackPak.PowerShell
{
    /// <summary>
    /// Completes run ids (-RunId, -Resume) from the run journals of the connected domains (the one -Domain names, if
    /// typed), newest first, each described by its data store, direction, status and start. Journals are local state:
    /// no node is asked anything. The runs are those the command takes: Invoke-BPRoleSwitch a switch's, Invoke-BPRecovery
    /// a recovery's, Get-/Stop-BPRoleSwitchRun either.
    /// </summary>
    public sealed class RunIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(() =>
            {
                string prefix = wordToComplete.Trim('\'', '"');
                var domains = Completion.Domains(fakeBoundParameters);
                var kinds = string.Equals(commandName, "Invoke-BPRecovery", StringComparison.OrdinalIgnoreCase) ? new[] { ProcedureKind.Recovery }
                    : string.Equals(commandName, "Invoke-BPRoleSwitch", StringComparison.OrdinalIgnoreCase) ? new[] { ProcedureKind.Switch, ProcedureKind.SiteSwitch }
                    : string.Equals(commandName, "Invoke-BPReprotect", StringComparison.OrdinalIgnoreCase) ? new[] { ProcedureKind.Reprotect }
                    : new[] { ProcedureKind.Switch, ProcedureKind.SiteSwitch, ProcedureKind.Recovery, ProcedureKind.Reprotect };
                // Both sides of a switch share one journal store: each run once.
                return domains.OfType<IRunJournalSource>().Select(d => d.RunJournal)
                    .GroupBy(j => j.Location, StringComparer.Ordinal).Select(g => g.First())
                    .SelectMany(j => j.RunIds().Where(id => id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && kinds.Contains(ProcedureKind.Of(id)))
                        .Select(id => Described(j, id)))
                    .Where(r => r != null).Select(r => r!.Value)
                    .OrderByDescending(r => r.Started).ThenByDescending(r => r.RunId, StringComparer.Ordinal)
                    .Select(r => new CompletionResult(r.RunId, r.RunId, CompletionResultType.ParameterValue, r.Text));
            });

        /// <summary>A run as its tooltip tells it: what it switches or recovers, its status and start.</summary>
        private static (string RunId, DateTime Started, string Text)? Described(IRunJournalStore journal, string id)
        {
            if (ProcedureKind.Of(id) == ProcedureKind.SiteSwitch)
            {
                var site = SiteSwitch.Report(journal, id);
                return site == null ? ((string, DateTime, string)?)null
                    : (site.RunId, site.Started, $"{string.Join(", ", site.DataStores)} {site.Primary} -> {site.Secondary}: {site.Status}, started {AuditRecord.IsoTime(site.Started)}");
            }
            var r = ProcedureRunner.AnyReport(journal, id);
            return r == null ? ((string, DateTime, string)?)null
                : (r.RunId, r.Started, (r is RecoveryReport ? $"{r.DataStore} at {r.Secondary}, {r.Primary} lost" : $"{r.DataStore} {r.Primary} -> {r.Secondary}") + $": {r.Status}, started {AuditRecord.IsoTime(r.Started)}");
        }
    }

    /// <summary>
    /// Completes Media Key Names from the encrypted volumes of the connected domains (local catalogs only: the key server
    /// is not asked, so completion works before Connect-BPKeyManager and never waits on the network).
    /// </summary>
    public sealed class MediaKeyNameCompleter : IArgumentCompleter
    {
        private const int Most = 200;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(() =>
            {
                string prefix = wordToComplete.Trim('\'', '"');
                var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
                var query = new VolumeQuery { Encrypted = true };
                foreach (var d in DomainSessions.All.Where(c => c.IsOpen).Select(c => c.Domain))
                    foreach (var v in d.GetVolumes(query))
                        if (v.MediaKeyName != null && v.MediaKeyName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                            && names.Add(v.MediaKeyName) && names.Count >= Most)
                            return Completion.Results(names, wordToComplete, "Media Key Name");
                return Completion.Results(names, wordToComplete, "Media Key Name");
            });
    }
}
