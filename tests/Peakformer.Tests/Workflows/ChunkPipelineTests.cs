using Peakformer.Workflows;

namespace Peakformer.Tests.Workflows;

/// <summary>The read/work/write pipeline under predict: order, bounded read-ahead, and the error a sequential loop would give.</summary>
public class ChunkPipelineTests
{
    [Fact]
    public void Chunks_are_written_in_order_and_read_at_most_the_slots_ahead_of_the_work()
    {
        var written = new List<int>();
        int read = 0, worked = 0, mostAhead = 0;
        ChunkPipeline.Run(200, new int[3], new int[2],
            read: (c, _) =>
            {
                Interlocked.Increment(ref read);
                if (c % 7 == 0) Thread.Sleep(1);
            },
            work: (c, _, _) =>
            {
                mostAhead = Math.Max(mostAhead, Volatile.Read(ref read) - worked);
                worked++;
                if (c % 5 == 0) Thread.Sleep(1);
            },
            write: (c, _) =>
            {
                if (c % 3 == 0) Thread.Sleep(1);
                written.Add(c);
            });
        Assert.Equal(Enumerable.Range(0, 200), written);
        // Chunk c is read only once chunk c - 3 has left the work stage: three input slots.
        Assert.InRange(mostAhead, 1, 3);
    }

    [Fact]
    public void Slots_carry_each_chunk_from_stage_to_stage()
    {
        var written = new List<int>();
        ChunkPipeline.Run(50, [new int[1], new int[1]], [new int[1], new int[1], new int[1]],
            read: (c, slot) => slot[0] = c * 10,
            work: (c, input, output) => output[0] = input[0] + 1,
            write: (c, slot) => written.Add(slot[0]));
        Assert.Equal(Enumerable.Range(0, 50).Select(c => c * 10 + 1), written);
    }

    [Fact]
    public void The_error_of_the_earliest_chunk_is_thrown_whichever_stage_failed_first()
    {
        // The reader fails at chunk 6 before the work reaches chunk 4, which fails too: the loop run in order fails at 4.
        var readerFailed = new ManualResetEventSlim();
        var written = new List<int>();
        var e = Assert.Throws<InputException>(() => ChunkPipeline.Run(20, new int[8], new int[2],
            read: (c, _) =>
            {
                if (c == 6) { readerFailed.Set(); throw new InputException("read 6"); }
            },
            work: (c, _, _) =>
            {
                readerFailed.Wait();
                if (c == 4) throw new InputException("work 4");
            },
            write: (c, _) => written.Add(c)));
        Assert.Equal("work 4", e.Message);
        Assert.Equal([0, 1, 2, 3], written);
    }

    [Fact]
    public void A_failing_writer_stops_reading_and_work()
    {
        int read = 0;
        var e = Assert.Throws<IOException>(() => ChunkPipeline.Run(10_000, new int[2], new int[2],
            read: (_, _) => Interlocked.Increment(ref read),
            work: (_, _, _) => { },
            write: (c, _) =>
            {
                if (c == 3) throw new IOException("disk full");
            }));
        Assert.Equal("disk full", e.Message);
        Assert.True(read < 100, $"{read} chunks read after the writer failed at chunk 3");
    }

    [Fact]
    public void A_reader_failure_is_thrown_after_the_chunks_before_it_are_written()
    {
        var written = new List<int>();
        var e = Assert.Throws<InputException>(() => ChunkPipeline.Run(10, new int[2], new int[2],
            read: (c, _) => { if (c == 5) throw new InputException("read 5"); },
            work: (_, _, _) => { },
            write: (c, _) => written.Add(c)));
        Assert.Equal("read 5", e.Message);
        Assert.Equal([0, 1, 2, 3, 4], written);
    }
}
