using System.Management.Automation;
using BackPak.Core.Model;

namespace BackPak.PowerShell
{
    /// <summary>
    /// Lets the hidden -Origin parameter take where a piped object came from in every form it travels in: the
    /// identity itself (objects from a provider), its text form (a column written by Export-Csv), or an object with
    /// Provider, Location and Node (ConvertFrom-Json, Import-Clixml, a job's output). Blank is no origin.
    /// </summary>
    public sealed class OriginTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case DomainIdentity id:
                    return id;
                case string text when string.IsNullOrWhiteSpace(text):
                    return null;
                case string text when DomainIdentity.TryParse(text, out var parsed):
                    return parsed;
                case PSCustomObject _ when inputData is PSObject shape
                        && shape.Properties["Provider"]?.Value is string provider && provider.Length > 0
                        && shape.Properties["Location"]?.Value is string location && location.Length > 0
                        && shape.Properties["Node"]?.Value is string node && node.Length > 0:
                    return new DomainIdentity(provider, location, node);
            }
            throw new ArgumentTransformationMetadataException(
                $"'{value}' does not say which domain the object came from; it should read like \\A (Lab: /labs/lab1), as Get-BPVolume | Export-Csv writes it.");
        }
    }
}
