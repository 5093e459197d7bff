namespace Peakformer.Engine.Threading;

/// <summary>
/// One persistent set of worker threads. <see cref="Run"/> splits a job into a fixed number of parts;
/// part 0 runs on the calling thread. The split depends only on the thread count, so a job whose
/// parts write disjoint outputs gives identical results for the same thread count.
/// A job started from inside another job runs all its parts inline (no nested parallelism). Workers run their parts
/// in the caller's execution context, so a setting that flows with it (the precision of matrix products) is the
/// caller's on every part, not the one the worker thread started with.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private static WorkerPool _shared = new(DefaultThreads());

    [ThreadStatic] private static bool _insideJob;

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _wake;
    private readonly ContextCallback[] _shares;
    private ExecutionContext? _context;
    private readonly Lock _runLock = new();
    private IParallelJob? _job;
    private int _parts;
    private int _pending;
    private volatile bool _stopping;
    private Exception? _failure;

    public WorkerPool(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"WorkerPool: thread count must be at least 1, got {threads}.");
        Threads = threads;
        _threads = new Thread[threads - 1];
        _wake = new SemaphoreSlim[threads - 1];
        _shares = new ContextCallback[threads - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            int worker = i + 1;
            _wake[i] = new SemaphoreSlim(0);
            _shares[i] = _ => RunShare(worker, Math.Min(_threads.Length, _parts - 1) + 1);
            _threads[i] = new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"peakformer-worker-{worker}" };
            _threads[i].Start();
        }
    }

    /// <summary>The pool every kernel uses. Its size is set once per process with <see cref="SetSharedThreads"/>.</summary>
    public static WorkerPool Shared => _shared;

    public int Threads { get; }

    public static int DefaultThreads() => Environment.ProcessorCount;

    /// <summary>Replaces the shared pool with one of the given size (call before work starts).</summary>
    public static void SetSharedThreads(int threads)
    {
        if (threads == _shared.Threads) return;
        var old = _shared;
        _shared = new WorkerPool(threads);
        old.Dispose();
    }

    /// <summary>Runs job parts 0..parts-1 across the pool and returns when all are done.</summary>
    public void Run(IParallelJob job, int parts)
    {
        if (parts <= 0) return;
        if (parts == 1 || Threads == 1 || _insideJob)
        {
            bool was = _insideJob;
            _insideJob = true;
            try { for (int p = 0; p < parts; p++) job.Execute(p, parts); }
            finally { _insideJob = was; }
            return;
        }
        lock (_runLock)
        {
            _job = job;
            _parts = parts;
            _failure = null;
            _context = ExecutionContext.Capture();
            int helpers = Math.Min(_threads.Length, parts - 1);
            Volatile.Write(ref _pending, helpers);
            for (int i = 0; i < helpers; i++) _wake[i].Release();
            _insideJob = true;
            try { RunShare(0, helpers + 1); }
            finally { _insideJob = false; }
            var spinner = new SpinWait();
            while (Volatile.Read(ref _pending) != 0) spinner.SpinOnce(sleep1Threshold: -1);
            _job = null;
            _context = null;
            if (_failure is { } failure) throw new AggregateException("A parallel kernel failed.", failure);
        }
    }

    /// <summary>Worker w runs parts w, w + stride, w + 2*stride, ... so the assignment is fixed.</summary>
    private void RunShare(int worker, int stride)
    {
        for (int p = worker; p < _parts; p += stride) _job!.Execute(p, _parts);
    }

    private void WorkerLoop(int worker)
    {
        _insideJob = true;
        while (true)
        {
            _wake[worker - 1].Wait();
            if (_stopping) return;
            try
            {
                if (_context is { } context) ExecutionContext.Run(context, _shares[worker - 1], null);
                else _shares[worker - 1](null);
            }
            catch (Exception e)
            {
                _failure = e;
            }
            Interlocked.Decrement(ref _pending);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var w in _wake) w.Release();
    }
}
