using BackPak.Core.Errors;
using BackPak.NonStop.Commands;

namespace BackPak.NonStop.Reports
{
    /// <summary>
    /// An error a NonStop program wrote in its report (<c>**ERROR-5048** …</c>): the program, its error number and
    /// text, typed, so a caller can act on the number. Its ErrorId is <see cref="ErrorIds.NonStopCommandFailed"/>.
    /// </summary>
    public sealed class NonStopCommandException : BackPakException
    {
        internal NonStopCommandException(string node, CommandProgram program, int? number, string text, string command, string hint)
            : base(ErrorIds.NonStopCommandFailed, BackPakErrorCategory.InvalidOperation,
                $"{ProgramName(program)} on {node} answered {(number.HasValue ? "error " + number.Value : "an error")} to '{command}': {text}{(hint.Length > 0 ? " (" + hint + ")" : "")}",
                target: node,
                recommendedAction: $"Look the error up in the {ProgramName(program)} manual's messages; the command was refused, so it changed nothing.")
        {
            Node = node;
            Program = program;
            ErrorNumber = number;
            ErrorText = text;
            Command = command;
        }

        public string Node { get; }
        public CommandProgram Program { get; }

        /// <summary>The program's message number (5048 for an invalid DISKFILE name, CS p11; 266 for TMFCOM through a remote home terminal, TMF p77).</summary>
        public int? ErrorNumber { get; }
        public string ErrorText { get; }
        public string Command { get; }

        internal static string ProgramName(CommandProgram p) => p == CommandProgram.Mediacom ? "MEDIACOM" : p == CommandProgram.Tmfcom ? "TMFCOM" : "The BackPak macro";
    }
}
