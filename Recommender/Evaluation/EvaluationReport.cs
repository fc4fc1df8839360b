using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EcomGo.Recommender.Evaluation;

/// <summary>The figures of every method under every protocol, and the method the service runs.</summary>
public sealed record EvaluationReport(int K, string Production, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MethodResult>> Protocols)
{
    /// <summary>
    /// <c>{"protocols": {"new-items": {"production": "hybrid", "methods": {"popularity": {"precision@10": x, "recall@10": x,
    /// "ndcg@10": x, "hit-rate@10": x, "coverage": x, "seconds": x}, ...}}, "with-repeats": {...}}}</c>
    /// </summary>
    public string ToJson()
    {
        var protocols = new JsonObject();
        foreach (var (protocol, methods) in Protocols)
        {
            var byMethod = new JsonObject();
            foreach (var (method, r) in methods)
            {
                byMethod[method] = new JsonObject
                {
                    [$"precision@{K}"] = Round(r.Precision),
                    [$"recall@{K}"] = Round(r.Recall),
                    [$"ndcg@{K}"] = Round(r.Ndcg),
                    [$"hit-rate@{K}"] = Round(r.HitRate),
                    ["coverage"] = Round(r.Coverage),
                    ["seconds"] = Math.Round(r.Seconds, 3),
                };
            }
            protocols[protocol] = new JsonObject { ["production"] = Production, ["methods"] = byMethod };
        }
        return new JsonObject { ["protocols"] = protocols }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>One Markdown table per protocol, best NDCG in bold.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        foreach (var (protocol, methods) in Protocols)
        {
            var users = methods.Values.FirstOrDefault()?.Users ?? 0;
            var bestNdcg = methods.Values.Max(r => r.Ndcg);
            text.AppendLine(CultureInfo.InvariantCulture, $"protocol {protocol} ({users:N0} test users)");
            text.AppendLine(CultureInfo.InvariantCulture, $"| method | precision@{K} | recall@{K} | NDCG@{K} | hit-rate@{K} | coverage | seconds |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var (method, r) in methods)
            {
                var name = method == Production ? $"{method} (production)" : method;
                var ndcg = r.Ndcg.ToString("0.0000", CultureInfo.InvariantCulture);
                if (r.Ndcg == bestNdcg) ndcg = $"**{ndcg}**";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {r.Precision:0.0000} | {r.Recall:0.0000} | {ndcg} | {r.HitRate:0.0000} | {r.Coverage:0.0000} | {r.Seconds:0.0} |");
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    private static double Round(double value) => Math.Round(value, 6);
}
