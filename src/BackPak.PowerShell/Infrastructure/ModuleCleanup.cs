using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace BackPak.PowerShell
{
    /// <summary>
    /// Releases what a runspace holds of the module (domain connections with the SQLite handles of their labs, key
    /// manager connections with their TLS sessions) when the runspace closes or when the module is removed from it.
    /// The sessions are kept per runspace (<see cref="PerRunspace{T}"/>), which tells
    /// this class about a runspace the first time it keeps something for it.
    /// </summary>
    internal static class RunspaceCleanup
    {
        private static readonly HashSet<Guid> Watched = new HashSet<Guid>();

        /// <summary>Makes sure the runspace's sessions are released when it closes or breaks (called once per runspace and store).</summary>
        public static void Watch(Runspace? runspace)
        {
            if (runspace == null) return;
            lock (Watched)
            {
                if (!Watched.Add(runspace.InstanceId)) return;
            }
            runspace.StateChanged += OnStateChanged;
        }

        private static void OnStateChanged(object? sender, RunspaceStateEventArgs e)
        {
            var state = e.RunspaceStateInfo.State;
            if (state != RunspaceState.Closed && state != RunspaceState.Broken) return;
            if (sender is Runspace r)
            {
                r.StateChanged -= OnStateChanged;
                lock (Watched) Watched.Remove(r.InstanceId);
                Release(r.InstanceId);
            }
        }

        /// <summary>Closes every connection the runspace holds and forgets its sessions.</summary>
        public static void Release(Guid runspace)
        {
            DomainSessions.CloseAll(runspace);
            KeyManagerSessions.CloseAll(runspace);
            ReplicationLinkRegistry.Forget(runspace);
        }
    }

    /// <summary>Remove-Module BackPak: the connections of the runspace that removes it are closed (IModuleAssemblyCleanup).</summary>
    public sealed class BackPakModuleCleanup : IModuleAssemblyCleanup
    {
        public void OnRemove(PSModuleInfo psModuleInfo) => RunspaceCleanup.Release(Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty);
    }
}
