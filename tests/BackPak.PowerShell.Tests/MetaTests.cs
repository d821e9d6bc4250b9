using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using BackPak.Core.Errors;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>Rules every cmdlet of the module must keep, now and later, checked by reflection.</summary>
    public class MetaTests
    {
        // The main module's and the lab's nested module's.
        private static readonly Type[] Cmdlets = typeof(BPCmdlet).Assembly.GetExportedTypes().Concat(typeof(BackPak.PowerShell.Cmdlets.NewBPLabCommand).Assembly.GetExportedTypes())
            .Where(t => t.GetCustomAttributes(typeof(CmdletAttribute), false).Length > 0).ToArray();

        private static readonly string[] ChangingVerbs =
        {
            "New", "Set", "Remove", "Add", "Clear", "Invoke", "Start", "Stop", "Suspend", "Resume", "Reset", "Restore", "Rename",
            "Move", "Copy", "Update", "Enable", "Disable", "Register", "Unregister", "Install", "Uninstall", "Publish", "Import", "Export", "Switch",
        };

        public static TheoryData<Type> CmdletTypes()
        {
            var d = new TheoryData<Type>();
            foreach (var t in Cmdlets) d.Add(t);
            return d;
        }

        private static CmdletAttribute Attr(Type t) => (CmdletAttribute)t.GetCustomAttributes(typeof(CmdletAttribute), false)[0];

        [Fact]
        public void The_module_has_cmdlets() => Assert.True(Cmdlets.Length >= 8);

        [Theory]
        [MemberData(nameof(CmdletTypes))]
        public void Sealed_thin_and_based_on_BPCmdlet(Type t)
        {
            Assert.True(t.IsSealed, t.Name + " is not sealed");
            Assert.True(typeof(BPCmdlet).IsAssignableFrom(t), t.Name + " does not derive from BPCmdlet");
            Assert.Equal(t.Name, Attr(t).VerbName + Attr(t).NounName.Replace("-", "") + "Command");
            Assert.StartsWith("BP", Attr(t).NounName);
        }

        [Theory]
        [MemberData(nameof(CmdletTypes))]
        public void Declares_its_output_type(Type t) =>
            Assert.NotEmpty(t.GetCustomAttributes(typeof(OutputTypeAttribute), false));

        [Theory]
        [MemberData(nameof(CmdletTypes))]
        public void Supports_ShouldProcess_when_it_changes_state(Type t)
        {
            var a = Attr(t);
            if (!ChangingVerbs.Contains(a.VerbName)) return;
            Assert.True(a.SupportsShouldProcess, t.Name + " changes state but does not support -WhatIf/-Confirm");
            if (a.VerbName == "Remove") Assert.Equal(ConfirmImpact.High, a.ConfirmImpact);
        }

        [Fact]
        public void Every_ErrorId_is_documented_in_about_BackPak_Errors_and_nothing_else_is()
        {
            var ids = typeof(ErrorIds).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).OrderBy(x => x).ToList();
            foreach (var f in typeof(ErrorIds).GetFields().Where(f => f.IsLiteral)) Assert.Equal(f.Name, f.GetRawConstantValue());
            string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "about_BackPak_Errors.help.txt"));
            var documented = Regex.Matches(text, @"^    (\w+) \(", RegexOptions.Multiline).Select(m => m.Groups[1].Value).OrderBy(x => x).ToList();
            Assert.Equal(ids, documented);
        }
    }
}
