using System.Management.Automation;
using BackPak.Core.Procedures;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>The plan of a switch of roles: every step, where it runs, what kind it is and where it comes from.</summary>
    [Cmdlet(VerbsCommon.Get, "BPRoleSwitchPlan")]
    [OutputType(typeof(RoleSwitchPlan))]
    public sealed class GetBPRoleSwitchPlanCommand : BPSwitchCmdlet
    {
        protected override void ProcessBackPakRecord()
        {
            // The same checks of the arguments as a run; one plan per data store, in order. Each step that checks or
            // reverses replication names the link that does it (a registered one first).
            foreach (var c in Contexts())
                WriteObject(RoleSwitch.Plan(c.DataStore, c.Primary.Node, c.Secondary.Node, links: c));
        }
    }
}
