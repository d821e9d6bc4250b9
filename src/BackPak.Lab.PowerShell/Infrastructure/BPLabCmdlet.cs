using BackPak.Core.Errors;
using BackPak.Core.Providers;
using BackPak.Lab;

namespace BackPak.PowerShell
{
    /// <summary>A lab simulation cmdlet working on data stores.</summary>
    public abstract class BPLabCmdlet : BPStoreCmdlet
    {
        protected static LabDomain LabOf(IDomainReader d) => LabDomains.Require(d);
    }

    /// <summary>The simulator needs the lab behind a connection, not just any provider.</summary>
    internal static class LabDomains
    {
        public static LabDomain Require(IDomainReader d) => d as LabDomain ?? throw new BackPakException(
            ErrorIds.NotALabDomain, BackPakErrorCategory.InvalidOperation,
            $"The domain on {d.Node} is reached through the {d.Provider} provider, not a lab: simulations run only in a lab.", d.Node,
            "Connect to a lab with Connect-BPDomain -Lab <folder>.", stopsInvocation: true);
    }
}
