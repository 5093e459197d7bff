namespace Peakformer.DriftChamber.Tracks;

/// <summary>One cell of a track map: its waveform (file, event), its track, optionally its path length and the track's momentum, and the map line.</summary>
public sealed record TrackMapRow(string File, int Event, string Track, double? LengthCm, double? MomentumGeV, long Line);
