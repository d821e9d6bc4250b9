using System;

namespace BackPak.Core.Errors
{
    /// <summary>
    /// A failure the operator can act on: a stable ErrorId, a category, the object it concerns and what to do.
    /// Cmdlets turn it into an ErrorRecord; nothing else in the module invents error ids.
    /// </summary>
    public class BackPakException : Exception
    {
        public BackPakException(string errorId, BackPakErrorCategory category, string message,
            object? target = null, string? recommendedAction = null, bool stopsInvocation = false,
            Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
            Target = target;
            RecommendedAction = recommendedAction;
            StopsInvocation = stopsInvocation;
        }

        public string ErrorId { get; }
        public BackPakErrorCategory Category { get; }
        public object? Target { get; }
        public string? RecommendedAction { get; }

        /// <summary>
        /// True when the invocation as a whole cannot go on (no lab, no connection): a terminating error.
        /// False for a problem with one item, so the rest of a pipeline carries on.
        /// </summary>
        public bool StopsInvocation { get; }
    }
}
