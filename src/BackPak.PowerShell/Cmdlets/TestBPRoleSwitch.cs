using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Procedures;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Checks the preconditions of a switch of roles, one object per check (of each data store given).</summary>
    [Cmdlet(VerbsDiagnostic.Test, "BPRoleSwitch")]
    [OutputType(typeof(RoleSwitchCheck), typeof(bool))]
    public sealed class TestBPRoleSwitchCommand : BPSwitchCmdlet
    {
        /// <summary>Returns only $true or $false: whether every check (of every data store) passed.</summary>
        [Parameter] public SwitchParameter Quiet { get; set; }

        private readonly List<RoleSwitchContext> _stores = new List<RoleSwitchContext>();

        // Stores are gathered until the pipeline ends: they are checked as one site switch would take them, so a key link
        // they share leaves none of them behind.
        protected override void ProcessBackPakRecord() => _stores.AddRange(Contexts().Where(c => !_stores.Any(x => x.DataStore == c.DataStore)));

        protected override void EndBackPak()
        {
            var names = _stores.Select(c => c.DataStore).ToList();
            var checks = _stores.SelectMany(c => RoleSwitch.Test(c, names)).ToList();
            if (Quiet) WriteObject(checks.All(c => c.Passed));
            else WriteObject(checks, true);
        }
    }
}
