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

    [Fact]
    public void The_writer_takes_plain_records_and_the_reader_gives_them_back()
    {
        // No simulator involved: a dataset of two events from records the Data room defines.
        using var folder = new TempFolder();
        string path = folder.File("plain.npz");
        using (var writer = new WaveformDatasetWriter(path, new DatasetHeader(2, 4, 0.25, "{\"tool\": \"test\"}", 7, ["a", "b"])))
        {
            writer.AddWaveforms([1, 2, 3, 4, 5, 6, 7, 8]);
            writer.AddElectron(1.5f, 1, 3, 0, 1, 0.5f);
            writer.AddElectron(2.5f, 2, 2, 0, 1, 0.5f);
            writer.EndEvent(new EventTruth(1, 3.5, 25, 1.2, 0.1, 0.2, 1, 0.025f, 11));
            writer.EndEvent(new EventTruth(0, 4.5, 32, 1.3, 0.2, 0.3, 0, 0.025f, 12));
            writer.Commit();
        }
        using var data = WaveformDataset.Open(path);
        Assert.Equal((2, 4, 0.25), (data.Count, data.Samples, data.SamplingNs));
        Assert.Equal([0L, 2, 2], data.ElectronOffsets);
        Assert.Equal([1L, 0], data.Particle);
        Assert.Equal([3.5, 4.5], data.MomentumGeV);
        Assert.Equal([2, 3], data.TruthPeaks(0));
        Assert.Equal([5f, 6, 7, 8], data.ReadWaveforms(1, 1));
        using var npz = new NpzReader(path);
        Assert.Equal(["a", "b"], npz.Read("particle_names").As<string>("particle_names"));
        Assert.Equal([2L, 0], npz.Read("n_electrons").ToLongs("n_electrons"));
    }
}
