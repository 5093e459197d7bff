namespace Peakformer.Engine.Threading;

/// <summary>Work split into parts; part p of n runs on one thread. Implemented by reusable job objects so a parallel region allocates nothing.</summary>
public interface IParallelJob
{
    void Execute(int part, int parts);
}
