using System.Diagnostics;
using System.Text;

namespace FestivalReservations.Bench.Hosting;

/// <summary>Keeps the last lines a child process printed, to show them when it fails.</summary>
public sealed class ProcessOutput
{
    private const int MaxChars = 32 * 1024;
    private readonly StringBuilder _text = new();

    public void Attach(Process process)
    {
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            _text.AppendLine(line);
            if (_text.Length > MaxChars)
            {
                _text.Remove(0, _text.Length - MaxChars);
            }
        }
    }
}
