using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;

namespace Peakformer.Engine.Tests.Layers;

public class ModuleGeneratorsTests
{
    [Fact]
    public void Generators_lists_each_dropout_stream_once_in_registration_order()
    {
        var shared = new Rng(1);
        var other = new Rng(2);
        var model = new Sequential(new Dropout(0.1f, shared), new Linear(2, 2, new Rng(3)), new Dropout(0.2f, other), new Dropout(0.3f, shared));
        var generators = model.Generators();
        Assert.Equal(2, generators.Count);
        Assert.Same(shared, generators[0]);
        Assert.Same(other, generators[1]);
    }
}
