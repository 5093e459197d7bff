using Peakformer.Data.Npy;
using Peakformer.Data.Waveforms;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Data;

public class WaveformDatasetTests
{
    [Fact]
    public void Truth_peaks_are_each_waveforms_electron_peak_samples_ascending()
    {
        // Electrons stored in arrival order, their pulse peaks out of order and one sample repeated.
        using var folder = new TempFolder();
        string path = folder.File("truth.npz");
        using (var npz = new NpzWriter(path))
        {
            npz.Add("waveforms", NpyArray.Of(new float[3 * 10], 3, 10));
            npz.Add("electron_offsets", NpyArray.Of(new long[] { 0, 4, 4, 5 }));
            npz.Add("electron_time_ns", NpyArray.Of(new float[] { 1, 2, 3, 4, 5 }));
            npz.Add("electron_peak_sample", NpyArray.Of(new[] { 7, 2, 9, 2, 0 }));
            npz.Add("electron_cluster", NpyArray.Of(new[] { 0, 0, 1, 1, 0 }));
            npz.Add("electron_tag", NpyArray.Of(new byte[] { 1, 2, 1, 2, 1 }));
            npz.Commit();
        }
        using var data = WaveformDataset.Open(path);
        Assert.Equal([2, 2, 7, 9], data.TruthPeaks(0));
        Assert.Empty(data.TruthPeaks(1));
        Assert.Equal([0], data.TruthPeaks(2));
    }
}
