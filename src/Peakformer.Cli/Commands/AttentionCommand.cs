using System.CommandLine;
using System.Globalization;
using Peakformer.Cli.Output;
using Peakformer.Data.Images;
using Peakformer.Engine.Checkpoints;
using Peakformer.Reports;
using Peakformer.Vision.Attention;
using Peakformer.Vision.Models;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer attention</c>: where an image model looks, per layer and head and rolled out, for chosen images (SVG figures).</summary>
public static class AttentionCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Option<string>("--model") { Description = "Trained image model (.safetensors, vit or vit1d), or map model (map-vit).", Required = true };
        var data = new Option<string>("--data") { Description = "An MNIST-layout folder, IDX images file, image .npz or TERS map .npz.", Required = true };
        var split = new Option<ImageSplit>("--split") { Description = "Which split of a folder or Keras .npz to read (Train or Test).", DefaultValueFactory = _ => ImageSplit.Test };
        var index = new Option<string>("--index") { Description = "Comma-separated image indices (0-based) in the split.", DefaultValueFactory = _ => "0" };
        var output = new Option<string>("--out") { Description = "Output folder: image_INDEX.svg per image, index.html, metrics.json.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing output folder Peakformer wrote." };
        var command = new Command("attention", "Draw an image model's attention maps (per layer and head, and the rollout) for chosen images.")
        {
            model, data, split, index, output, force,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string folder = OutputPath.CheckFolder(parse.GetValue(output)!, parse.GetValue(force), "--out");
            var indices = Indices(parse.GetValue(index));
            string path = parse.GetValue(model)!;
            RequireImageModel(path);
            var (vit, info) = ImageCheckpoint.Load(path);
            var set = ImageSetReader.Read(parse.GetValue(data)!, parse.GetValue(split));
            ImageCheckpoint.RequireShape(path, info, set);
            var maps = AttentionRun.Of(vit, set, indices);
            AttentionReport.Write(folder, Path.GetFileNameWithoutExtension(path), set, info.ClassNames, maps);
            foreach (var a in maps)
                terminal.Line($"image {a.Index}: true {info.ClassNames[a.Label]}, predicted {info.ClassNames[a.Predicted]} (p = {a.Probability:F3})");
            terminal.Line($"wrote {maps.Count} attention figure{(maps.Count == 1 ? "" : "s")} to {folder}");
            return 0;
        }));
        return command;
    }

    /// <summary>"0,1,2" as distinct indices in the order given.</summary>
    private static List<int> Indices(string? text)
    {
        var items = CliApp.SplitList(text);
        if (items.Count == 0) throw new InputException("--index: expected image indices separated by commas, found nothing");
        var indices = new List<int>();
        foreach (string item in items)
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int i))
                throw new InputException($"--index: expected whole numbers from 0 separated by commas, found '{item}'");
            if (!indices.Contains(i)) indices.Add(i);
        }
        return indices;
    }

    private static void RequireImageModel(string path)
    {
        if (!File.Exists(path)) throw new InputException($"--model {path}: model file not found");
        string kind = Checkpoint.ReadHeader(path).Kind;
        var registered = ModelKinds.All.Find(kind);
        if (registered?.ConfigType != typeof(VisionTransformerConfig))
            throw new InputException($"--model {path}: a {kind} model{(registered is null ? "" : $" (task {registered.Task})")}; attention maps need an image or map model ({VisionModels.Vit.Name}, {VisionModels.Vit1d.Name} or {Spectroscopy.Maps.MapModels.Vit.Name})");
    }
}
