using System;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;

namespace BackPak.PowerShell
{
    /// <summary>Lets -Domain take a node name ('\B') as well as a connection object.</summary>
    public sealed class DomainTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is DomainConnection || value == null) return value;
            if (value is string node)
            {
                try
                {
                    return DomainSessions.FindByNode(Names.NormalizeNode(node)) ?? throw DomainSessions.NotConnected(node);
                }
                catch (BackPakException e)
                {
                    // Binding errors carry PowerShell's own ErrorId (ParameterArgumentTransformationError); the
                    // message and the inner BackPakException say which BackPak rule failed.
                    throw new ArgumentTransformationMetadataException(e.Message, e);
                }
            }
            throw new ArgumentTransformationMetadataException(
                $"-Domain takes a connection from Connect-BPDomain or a node name such as '\\A', not a {value.GetType().Name}.");
        }
    }
}
