using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace BackPak.Core.Streaming
{
    /// <summary>
    /// Reads a stream on a worker thread while the caller consumes it, so reading a catalog and writing objects
    /// down a PowerShell pipeline use both cores. Order is kept, memory is bounded by the buffer, an exception
    /// in the source reaches the consumer unchanged, and stopping early (Select-Object -First) stops the reader
    /// and disposes the source.
    /// </summary>
    public static class ReadAhead
    {
        /// <summary>Items travel in batches: a hand-off per item would cost more than it saves.</summary>
        public static IEnumerable<T> Of<T>(IEnumerable<T> source, int batchSize = 512, int batches = 8)
        {
            using var buffer = new BlockingCollection<List<T>>(batches);
            using var stop = new CancellationTokenSource();
            Exception? failure = null;
            var reader = Task.Factory.StartNew(() =>
            {
                try
                {
                    var batch = new List<T>(batchSize);
                    foreach (var item in source)
                    {
                        batch.Add(item);
                        if (batch.Count < batchSize) continue;
                        buffer.Add(batch, stop.Token);
                        batch = new List<T>(batchSize);
                    }
                    if (batch.Count > 0) buffer.Add(batch, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
                catch (Exception e) { failure = e; }
                finally { buffer.CompleteAdding(); }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                foreach (var batch in buffer.GetConsumingEnumerable())
                    foreach (var item in batch) yield return item;
                reader.Wait();
                if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }
            finally
            {
                // Early stop: release the reader (blocked on a full buffer) and wait until it disposed the source.
                stop.Cancel();
                try { reader.Wait(); } catch (AggregateException) { }
            }
        }
    }
}
