namespace BinlogArchive.Cmdlets;

/// <summary>
/// Reports on the calling thread. Progress&lt;T&gt; would post to a pool thread, and WriteProgress
/// may only be called from the pipeline thread; the engine reports from the thread that called it.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
