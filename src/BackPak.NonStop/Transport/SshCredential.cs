using System;
using System.Collections.Generic;
using System.IO;
using Renci.SshNet;

namespace BackPak.NonStop.Transport
{
    /// <summary>
    /// How the module signs in to a node: a private key file (optionally with its passphrase) or a password. The
    /// secret is held only for the life of the connection and never appears in messages or ToString.
    /// </summary>
    public abstract class SshCredential
    {
        private protected SshCredential() { }

        public static SshCredential KeyFile(string path, string? passphrase = null) => new KeyFileCredential(path, passphrase);

        public static SshCredential Password(string password) => new PasswordCredential(password);

        /// <summary>What kind of sign-in, for messages ("key /home/op/.ssh/id_ed25519", "password").</summary>
        public abstract string Describe();

        internal abstract AuthenticationMethod[] Methods(string user);

        public override string ToString() => Describe();
    }

    internal sealed class KeyFileCredential : SshCredential
    {
        private readonly string _path;
        private readonly string? _passphrase;

        public KeyFileCredential(string path, string? passphrase)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The key file path is empty.", nameof(path));
            _path = path;
            _passphrase = passphrase;
        }

        public override string Describe() => $"key {_path}";

        internal override AuthenticationMethod[] Methods(string user)
        {
            if (!File.Exists(_path)) throw new FileNotFoundException($"The SSH key file {_path} does not exist.", _path);
            var key = _passphrase == null ? new PrivateKeyFile(_path) : new PrivateKeyFile(_path, _passphrase);
            return new AuthenticationMethod[] { new PrivateKeyAuthenticationMethod(user, key) };
        }
    }

    internal sealed class PasswordCredential : SshCredential
    {
        private readonly string _password;

        public PasswordCredential(string password) { _password = password ?? throw new ArgumentNullException(nameof(password)); }

        public override string Describe() => "password";

        internal override AuthenticationMethod[] Methods(string user)
        {
            // The NonStop SSH server may ask for the password through keyboard-interactive: answer every prompt with it.
            var kbi = new KeyboardInteractiveAuthenticationMethod(user);
            kbi.AuthenticationPrompt += (s, e) => { foreach (var p in e.Prompts) p.Response = _password; };
            return new AuthenticationMethod[] { new PasswordAuthenticationMethod(user, _password), kbi };
        }
    }
}
