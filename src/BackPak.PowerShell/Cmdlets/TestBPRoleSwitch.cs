using System.Linq;
using System.Management.Automation;
using BackPak.Core.Procedures;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Checks the preconditions of a switch of roles, one object per check.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "BPRoleSwitch")]
    [OutputType(typeof(RoleSwitchCheck))]
    public sealed class TestBPRoleSwitchCommand : BPSwitchCmdlet
    {
        /// <summary>Returns only $true or $false: whether every check passed.</summary>
        [Parameter] public SwitchParameter Quiet { get; set; }

        protected override void ProcessBackPakRecord()
        {
            var checks = RoleSwitch.Test(Context());
            if (Quiet) WriteObject(checks.All(c => c.Passed));
            else WriteObject(checks, true);
        }
    }
}
