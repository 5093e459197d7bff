using System.Globalization;

namespace Peakformer.Engine.Layers;

/// <summary>nn.ModuleList: children named "0", "1", ...</summary>
public sealed class ModuleList : Module
{
    private int _count;

    public T Add<T>(T module) where T : Module => AddModule((_count++).ToString(CultureInfo.InvariantCulture), module);
}
