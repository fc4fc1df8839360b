using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EcomGo.IntegrationTests.Infrastructure;

/// <summary>
/// Writes every resource's console output (which the testing host forwards to loggers named
/// "AppHost.Resources.{resource}") to resource-logs/{resource}.log beside the test binaries, so a failure in CI
/// can be read afterwards.
/// </summary>
internal sealed class ResourceLogFiles(string directory) : ILoggerProvider
{
    public const string CategoryPrefix = "AppHost.Resources.";
    private readonly ConcurrentDictionary<string, StreamWriter> _writers = new();

    public ILogger CreateLogger(string categoryName) => categoryName.StartsWith(CategoryPrefix, StringComparison.Ordinal)
        ? new FileLogger(this, categoryName[CategoryPrefix.Length..])
        : NullLogger.Instance;

    private void Write(string resource, string line)
    {
        var writer = _writers.GetOrAdd(resource, name =>
        {
            Directory.CreateDirectory(directory);
            return new StreamWriter(Path.Combine(directory, $"{name}.log"), append: false) { AutoFlush = true };
        });
        lock (writer)
        {
            writer.WriteLine(line);
        }
    }

    public void Dispose()
    {
        foreach (var writer in _writers.Values)
        {
            lock (writer)
            {
                writer.Dispose();
            }
        }
    }

    private sealed class FileLogger(ResourceLogFiles owner, string resource) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Write(resource, exception is null ? formatter(state, exception) : $"{formatter(state, exception)} {exception}");
    }

    private sealed class NullLogger : ILogger
    {
        public static readonly NullLogger Instance = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => false;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) { }
    }
}
