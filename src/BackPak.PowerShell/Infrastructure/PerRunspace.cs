using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;

namespace BackPak.PowerShell
{
    /// <summary>
    /// One value per runspace (the connections of DomainSessions and KeyManagerSessions), so that two runspaces (jobs,
    /// Pester containers, hosted tests) never see each other's. The first value kept for a runspace has it watched by
    /// <see cref="RunspaceCleanup"/>, which takes it back when the runspace closes or the module is removed.
    /// </summary>
    internal sealed class PerRunspace<T> where T : class, new()
    {
        private readonly Dictionary<Guid, T> values = new Dictionary<Guid, T>();

        /// <summary>The value of the current runspace, made on first use.</summary>
        public T Current()
        {
            var runspace = Runspace.DefaultRunspace;
            var id = runspace?.InstanceId ?? Guid.Empty;
            T value;
            lock (values)
            {
                if (values.TryGetValue(id, out value)) return value;
                values[id] = value = new T();
            }
            RunspaceCleanup.Watch(runspace);
            return value;
        }

        /// <summary>Forgets the value of a runspace and returns it (null if it had none), for its owner to close.</summary>
        public T? Take(Guid runspace)
        {
            lock (values)
            {
                if (!values.TryGetValue(runspace, out var value)) return null;
                values.Remove(runspace);
                return value;
            }
        }
    }
}
