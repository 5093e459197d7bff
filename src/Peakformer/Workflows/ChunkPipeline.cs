using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Peakformer.Workflows;

/// <summary>
/// Runs chunks 0..count-1 through read, work and write, each stage on its own thread, in order, so that reading the
/// next chunk and writing the last overlap the work on this one. Memory is bounded by the slots: chunk c is read into
/// input slot c mod inputs and worked into output slot c mod outputs, and a slot is reused only once its chunk has
/// left the stage that reads it. Work runs on the calling thread (it may report progress).
/// A failing stage stops the stages before it; the stages after it finish the chunks before the failure. The error
/// thrown is that of the earliest chunk, so a run fails with the error the same loop run sequentially would give.
/// </summary>
public static class ChunkPipeline
{
    public static void Run<TIn, TOut>(int count, TIn[] inputs, TOut[] outputs, Action<int, TIn> read, Action<int, TIn, TOut> work, Action<int, TOut> write)
    {
        if (inputs.Length < 1 || outputs.Length < 1) throw new ArgumentException("ChunkPipeline: at least one slot per stage");
        using var freeIn = new SemaphoreSlim(inputs.Length);
        using var freeOut = new SemaphoreSlim(outputs.Length);
        using var readIn = new BlockingCollection<int>();
        using var worked = new BlockingCollection<int>();
        using var stopReading = new CancellationTokenSource();
        using var stopWorking = new CancellationTokenSource();
        var failures = new ConcurrentBag<(int Chunk, Exception Error)>();

        var reader = new Thread(() =>
        {
            int c = 0;
            try
            {
                for (; c < count; c++)
                {
                    freeIn.Wait(stopReading.Token);
                    read(c, inputs[c % inputs.Length]);
                    readIn.Add(c);
                }
            }
            catch (OperationCanceledException) when (stopReading.IsCancellationRequested) { }
            catch (Exception e) { failures.Add((c, e)); }
            finally { readIn.CompleteAdding(); }
        }) { IsBackground = true, Name = "pipeline read" };
        var writer = new Thread(() =>
        {
            int c = -1;
            try
            {
                foreach (int chunk in worked.GetConsumingEnumerable())
                {
                    c = chunk;
                    write(c, outputs[c % outputs.Length]);
                    freeOut.Release();
                }
            }
            catch (Exception e)
            {
                failures.Add((c, e));
                stopWorking.Cancel();
                stopReading.Cancel();
            }
        }) { IsBackground = true, Name = "pipeline write" };
        reader.Start();
        writer.Start();
        try
        {
            foreach (int c in readIn.GetConsumingEnumerable())
            {
                try
                {
                    freeOut.Wait(stopWorking.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // the writer failed: its error is reported
                }
                try
                {
                    work(c, inputs[c % inputs.Length], outputs[c % outputs.Length]);
                }
                catch (Exception e)
                {
                    failures.Add((c, e));
                    break;
                }
                freeIn.Release();
                worked.Add(c);
            }
        }
        finally
        {
            stopReading.Cancel();
            worked.CompleteAdding();
            // The reader may be blocked on a slot the work stage no longer frees: the cancel above wakes it.
            reader.Join();
            writer.Join();
        }
        if (!failures.IsEmpty)
            ExceptionDispatchInfo.Throw(failures.OrderBy(f => f.Chunk).First().Error);
    }
}
