using System;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BackPak.Core.Errors;

namespace BackPak.PowerShell
{
    /// <summary>
    /// Lets -TrustedRootCertificate take a certificate file's path (PEM or DER) as well as a certificate. The path is
    /// resolved against the PowerShell location, as every path the module takes (the runtime's own conversion resolves it
    /// against the process's folder and fails with an OpenSSL message), and a file that is missing or is no certificate
    /// is named as such before anything is sent.
    /// </summary>
    public sealed class TrustedRootTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
            string? given = value switch
            {
                string s => s,
                FileInfo f => f.FullName,
                _ => null,
            };
            if (given == null) return value; // a certificate, or something the parameter's type refuses itself
            string path;
            try { path = FileSystemPaths.Resolve(engineIntrinsics.SessionState, given, "TrustedRootCertificate", ErrorIds.TrustedRootCertificateInvalid); }
            catch (BackPakException e) { throw new ArgumentTransformationMetadataException(e.Message, e); }
            if (!File.Exists(path)) throw Invalid(given, "the file does not exist", null);
            try
            {
                return new X509Certificate2(path);
            }
            catch (CryptographicException e)
            {
                throw Invalid(given, "it is not a certificate (PEM or DER)", e);
            }
        }

        private static ArgumentTransformationMetadataException Invalid(string given, string why, Exception? inner)
        {
            var e = new BackPakException(ErrorIds.TrustedRootCertificateInvalid, BackPakErrorCategory.InvalidArgument,
                $"The trusted root certificate '{given}' cannot be used: {why}. Nothing was sent to the key server.", given,
                "Give the root CA certificate that issued the key server's certificate, as a .crt/.pem/.cer file or an X509Certificate2.",
                stopsInvocation: true, inner);
            // Binding errors carry PowerShell's own ErrorId (ParameterArgumentTransformationError); the message and the
            // inner BackPakException say which BackPak rule failed.
            return new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
