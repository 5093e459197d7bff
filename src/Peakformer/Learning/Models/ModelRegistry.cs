namespace Peakformer.Learning.Models;

/// <summary>
/// Every model kind the library knows, each registered once by its room. The command line, the workflows, scoring,
/// counting and reports ask it for names, display names, tasks and recipes; no other code compares kind strings.
/// </summary>
public sealed class ModelRegistry
{
    private readonly List<ModelKind> _kinds = [];

    public IReadOnlyList<ModelKind> Kinds => _kinds;

    /// <summary>The tasks in the order their first kind was registered.</summary>
    public IReadOnlyList<string> Tasks => _kinds.Select(k => k.Task).Distinct().ToList();

    /// <summary>Adds a kind; a second kind of the same name, or of the same task and --model, is a programming error.</summary>
    public void Register(ModelKind kind)
    {
        if (Find(kind.Name) is not null) throw new ArgumentException($"model kind '{kind.Name}' is registered twice", nameof(kind));
        if (_kinds.Any(k => k.Task == kind.Task && k.Model == kind.Model))
            throw new ArgumentException($"task '{kind.Task}' has two kinds with --model '{kind.Model}'", nameof(kind));
        _kinds.Add(kind);
    }

    public ModelKind? Find(string name) => _kinds.FirstOrDefault(k => k.Name == name);

    /// <summary>The kind of that name; an unknown name is an InputException naming <paramref name="where"/> and the known kinds.</summary>
    public ModelKind Get(string name, string where) =>
        Find(name) ?? throw new InputException($"{where}: unknown model '{name}' (expected one of {string.Join(", ", _kinds.Select(k => k.Name))})");

    /// <summary>The kind a checkpoint file names in its metadata; a missing file or unknown kind is an InputException.</summary>
    public ModelKind OfCheckpoint(string path)
    {
        var (_, metadata) = CheckpointInfo.ReadFile(path);
        return Get(Engine.Checkpoints.Checkpoint.Describe(path, metadata).Kind, path);
    }

    /// <summary>The kinds of one task, in registration order.</summary>
    public IReadOnlyList<ModelKind> InTask(string task) => _kinds.Where(k => k.Task == task).ToList();

    /// <summary>The kind for the command line's --task and --model.</summary>
    public ModelKind For(string task, string model)
    {
        var inTask = InTask(task);
        if (inTask.Count == 0) throw new InputException($"--task: expected {Either(Tasks)}, found '{task}'");
        return inTask.FirstOrDefault(k => k.Model == model)
            ?? throw new InputException($"--model: the {task} task has {Either(inTask.Select(k => $"{k.Model} (on {k.Input})").ToList())}, found '{model}'");
    }

    /// <summary>"a", "a or b", "a, b or c".</summary>
    public static string Either(IReadOnlyList<string> words) =>
        words.Count < 2 ? string.Concat(words) : $"{string.Join(", ", words.Take(words.Count - 1))} or {words[^1]}";
}
