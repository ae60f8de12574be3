using Microsoft.Extensions.Logging;

namespace FestivalReservations.Tests.Unit.Support;

/// <summary>A logger provider that keeps every line logged at a level that is logged (not None), with its category.</summary>
internal sealed class LogLines : List<(string Category, LogLevel Level, string Message)>, ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Lines(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Lines(LogLines lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            lock (lines)
            {
                lines.Add((category, logLevel, formatter(state, exception)));
            }
        }
    }
}
