using System.Collections.Concurrent;
using EcomGo.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Platform;

/// <summary>
/// PGlite is a single PostgreSQL session behind our TCP server. These tests prove the server keeps each pooled
/// connection's extended-protocol sequences and transactions apart: 16 connections, zero errors, zero wrong rows.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LocalPostgresConcurrencyTests(AppFixture fixture, ITestOutputHelper output)
{
    private const int Workers = 16;
    private const int IterationsPerWorker = 25;

    [Fact]
    public async Task Sixteen_pooled_connections_run_parameterised_queries_and_transactions_without_errors_or_wrong_results()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await fixture.GetConnectionStringAsync("shopdb"))
        {
            MaxPoolSize = Workers,
            MinPoolSize = Workers,
        }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var table = $"concurrency_{Guid.NewGuid():N}";
        await using (var create = dataSource.CreateCommand(
            $"CREATE SCHEMA IF NOT EXISTS platform_tests; CREATE TABLE platform_tests.{table} (worker int NOT NULL, iteration int NOT NULL, item int NOT NULL, label text NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var errors = new ConcurrentQueue<string>();
        var wrongResults = new ConcurrentQueue<string>();
        var committedPerWorker = new int[Workers];
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var iteration = 0; iteration < IterationsPerWorker; iteration++)
            {
                try
                {
                    await using var connection = await dataSource.OpenConnectionAsync();

                    // A parameterised query must echo this worker's own parameters, never another's.
                    var label = $"w{worker}-i{iteration}";
                    await using (var echo = new NpgsqlCommand("SELECT $1::int, $2::text, $3::vector <-> '[0,0,0]'::vector", connection))
                    {
                        echo.Parameters.AddWithValue(worker);
                        echo.Parameters.AddWithValue(label);
                        echo.Parameters.AddWithValue($"[{worker},0,0]");
                        await using var reader = await echo.ExecuteReaderAsync();
                        await reader.ReadAsync();
                        if (reader.GetInt32(0) != worker || reader.GetString(1) != label || Math.Abs(reader.GetDouble(2) - worker) > 1e-6)
                        {
                            wrongResults.Enqueue($"echo {label}: got {reader.GetInt32(0)}/{reader.GetString(1)}/{reader.GetDouble(2)}");
                        }
                    }

                    // A transaction sees its own uncommitted rows; every fifth one rolls back.
                    await using var transaction = await connection.BeginTransactionAsync();
                    for (var item = 0; item < 3; item++)
                    {
                        await using var insert = new NpgsqlCommand(
                            $"INSERT INTO platform_tests.{table} (worker, iteration, item, label) VALUES ($1, $2, $3, $4)", connection, transaction);
                        insert.Parameters.AddWithValue(worker);
                        insert.Parameters.AddWithValue(iteration);
                        insert.Parameters.AddWithValue(item);
                        insert.Parameters.AddWithValue(label);
                        await insert.ExecuteNonQueryAsync();
                    }

                    await using (var count = new NpgsqlCommand(
                        $"SELECT count(*) FROM platform_tests.{table} WHERE worker = $1 AND iteration = $2", connection, transaction))
                    {
                        count.Parameters.AddWithValue(worker);
                        count.Parameters.AddWithValue(iteration);
                        var seen = (long)(await count.ExecuteScalarAsync())!;
                        if (seen != 3)
                        {
                            wrongResults.Enqueue($"{label}: saw {seen} rows inside its transaction");
                        }
                    }

                    if (iteration % 5 == 4)
                    {
                        await transaction.RollbackAsync();
                    }
                    else
                    {
                        await transaction.CommitAsync();
                        Interlocked.Increment(ref committedPerWorker[worker]);
                    }
                }
                catch (Exception e)
                {
                    errors.Enqueue($"worker {worker} iteration {iteration}: {e.GetType().Name}: {e.Message}");
                }
            }
        })));

        output.WriteLine($"{Workers * IterationsPerWorker} iterations in {stopwatch.Elapsed.TotalSeconds:F1} s, " +
                         $"{errors.Count} errors, {wrongResults.Count} wrong results");
        Assert.Empty(errors);
        Assert.Empty(wrongResults);

        await using var total = dataSource.CreateCommand($"SELECT worker, count(*) FROM platform_tests.{table} GROUP BY worker ORDER BY worker");
        await using var rows = await total.ExecuteReaderAsync();
        var perWorker = new Dictionary<int, long>();
        while (await rows.ReadAsync())
        {
            perWorker[rows.GetInt32(0)] = rows.GetInt64(1);
        }

        for (var worker = 0; worker < Workers; worker++)
        {
            Assert.Equal(committedPerWorker[worker] * 3L, perWorker.GetValueOrDefault(worker));
        }
    }

    [Fact]
    public async Task A_client_that_disconnects_inside_a_transaction_does_not_block_or_leak_into_others()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await fixture.GetConnectionStringAsync("shopdb")) { Pooling = false }.ConnectionString;
        var table = $"abandoned_{Guid.NewGuid():N}";
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS platform_tests; CREATE TABLE platform_tests.{table} (id int)", setup);
            await create.ExecuteNonQueryAsync();
        }

        // Open a transaction, write, then vanish without COMMIT or ROLLBACK.
        var abandoned = new NpgsqlConnection(connectionString);
        await abandoned.OpenAsync();
        var transaction = await abandoned.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand($"INSERT INTO platform_tests.{table} VALUES (1)", abandoned, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        abandoned.Dispose(); // closes the socket (pooling off): the server must roll back and release its lock

        await using var other = new NpgsqlConnection(connectionString + ";Timeout=15;Command Timeout=15");
        await other.OpenAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM platform_tests.{table}", other);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }
}
