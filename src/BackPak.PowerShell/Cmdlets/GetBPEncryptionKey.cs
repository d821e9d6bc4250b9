using System;
using System.Collections.Generic;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Keys;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Reads encryption keys from the key manager by Media Key Name: unique id, state, dates, and the catalogued
    /// volumes of the connected domains that use each key (by catalog entry or storage image).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BPEncryptionKey")]
    [OutputType(typeof(EncryptionKey))]
    public sealed class GetBPEncryptionKeyCommand : BPKeyManagerCmdlet
    {
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private KeyReferences? _references;

        /// <summary>Media Key Names; every key of the key manager when not given.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("MediaKeyName")]
        [Selection]
        [AllowNull]
        [ArgumentCompleter(typeof(MediaKeyNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessBackPakRecord()
        {
            var keys = Keys; // resolves the connection first: no key manager is a terminating error
            var domains = ConnectedDomains;
            // One per invocation: the storage images are read once for all keys.
            _references ??= domains.Count > 0 ? new KeyReferences(domains) : null;
            if (Name == null)
            {
                // A clear volume from the pipeline has no key: nothing to show for it.
                if (MyInvocation.ExpectingInput) return;
                foreach (var id in keys.Locate(null))
                {
                    var k = keys.Get(id);
                    if (k != null) WriteObject(WithReferences(k));
                }
                return;
            }
            foreach (var name in Name)
            {
                if (string.IsNullOrEmpty(name) || !_seen.Add(name)) continue; // each key once, however many volumes use it
                var found = KeyReferences.Find(keys, name);
                if (found.Count == 0)
                {
                    WriteBackPakError(new BackPakException(ErrorIds.KeyNotFound, BackPakErrorCategory.ObjectNotFound,
                        $"The key manager {KeyManagerConnection.Endpoint} has no key named '{name}'.", name,
                        "Check the Media Key Name (Get-BPVolume shows each volume's); a key already destroyed on a KMIP server is no longer listed."));
                    continue;
                }
                foreach (var k in found) WriteObject(WithReferences(k));
            }
        }

        private EncryptionKey WithReferences(EncryptionKey key)
        {
            if (_references == null) return key; // nothing connected: unknown, not zero
            key.Volumes = _references.List(key.Name);
            key.ReferencingVolumeCount = key.Volumes.Count;
            return key;
        }
    }
}
