using System.Diagnostics;
using System.Text;

namespace FestivalReservations.Testing;

/// <summary>Every line a child process printed (stdout and stderr, the newest 100,000), to search them and to show them when it fails.</summary>
public sealed class ProcessOutput
{
    private const int MaxLines = 100_000;
    private const int MaxTailChars = 64 * 1024;
    private readonly Queue<string> _lines = new();

    /// <summary>The lines so far, oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Attach(Process process)
    {
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>A line of the caller's own (e.g. "--- stopped"), among the process's.</summary>
    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    /// <summary>The last 64 KiB of output.</summary>
    public override string ToString()
    {
        var tail = new List<string>();
        var length = 0;
        foreach (var line in Lines.Reverse())
        {
            length += line.Length + 1;
            if (length > MaxTailChars)
            {
                break;
            }

            tail.Add(line);
        }

        tail.Reverse();
        return new StringBuilder().AppendJoin('\n', tail).ToString();
    }
}
