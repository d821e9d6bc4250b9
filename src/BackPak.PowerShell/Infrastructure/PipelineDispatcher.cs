using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace BackPak.PowerShell
{
    /// <summary>
    /// The pipeline thread of a cmdlet whose work runs on other threads (the stores of a site switch): what only that thread
    /// may do (write progress, verbose and warnings; run a registered link's script block in its runspace) is handed to it
    /// here, and it does it while it waits for the work to end. Workers find it through <see cref="Current"/>.
    /// </summary>
    internal sealed class PipelineDispatcher
    {
        private static readonly AsyncLocal<PipelineDispatcher?> Ambient = new AsyncLocal<PipelineDispatcher?>();
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();

        private PipelineDispatcher() { ThreadId = Environment.CurrentManagedThreadId; }

        /// <summary>The dispatcher of the work this thread does, or null when it runs on the pipeline thread itself.</summary>
        public static PipelineDispatcher? Current => Ambient.Value;

        public int ThreadId { get; }

        /// <summary>Whether the pipeline was stopped (Ctrl-C) while the work ran: later writes are dropped.</summary>
        public bool Stopped { get; private set; }

        /// <summary>Hands a write to the pipeline thread and goes on.</summary>
        public void Post(Action write) { if (!Stopped) _queue.Add(write); }

        /// <summary>Runs <paramref name="call"/> on the pipeline thread and waits for it; its exception is rethrown here.</summary>
        public T Invoke<T>(Func<T> call)
        {
            if (Environment.CurrentManagedThreadId == ThreadId) return call();
            var done = new TaskCompletionSource<T>();
            _queue.Add(() =>
            {
                try { done.SetResult(call()); }
                catch (Exception e) { done.SetException(e); }
            });
            try { return done.Task.GetAwaiter().GetResult(); }
            catch (PipelineStoppedException e) { throw new OperationCanceledException("The pipeline was stopped.", e); }
        }

        /// <summary>
        /// Runs <paramref name="work"/> on a worker thread and serves it from this (the pipeline) thread until it ends. A stopped
        /// pipeline cancels <paramref name="cancel"/>, so the work records its interruption, and is waited for still.
        /// </summary>
        public static T Run<T>(CancellationTokenSource cancel, Func<T> work)
        {
            var d = new PipelineDispatcher();
            var task = Task.Factory.StartNew(() =>
            {
                Ambient.Value = d;
                try { return work(); }
                finally { d._queue.CompleteAdding(); }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            foreach (var action in d._queue.GetConsumingEnumerable())
            {
                try { action(); }
                catch (PipelineStoppedException)
                {
                    d.Stopped = true;
                    cancel.Cancel();
                }
            }
            return task.GetAwaiter().GetResult();
        }
    }
}
