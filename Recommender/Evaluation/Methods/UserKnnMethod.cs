namespace EcomGo.Recommender.Evaluation.Methods;

/// <summary>
/// User-kNN: cosine similarity of users on their binary item sets; a user's score for j is the sum of the
/// similarities of their k nearest neighbours who touched j.
/// </summary>
public sealed class UserKnnMethod : RecommendationMethod
{
    public const string Neighbours = "k";

    public override string Name => "user-knn";

    public override IEnumerable<Settings> Grid(TrainingSet train) =>
        new[] { 10, 25, 50, 100, 200 }.Select(k => Settings.Of((Neighbours, k)));

    public override IRecommender Fit(TrainingSet train, Settings settings) => new Scorer(train, (int)settings[Neighbours]);

    private sealed class Scorer(TrainingSet train, int k) : DenseRecommender(train)
    {
        protected override void Score(int user, float[] scores)
        {
            var mine = Train.UserItems[user];
            if (mine.Length == 0) return;
            var overlap = new Dictionary<int, int>();
            foreach (var item in mine)
            {
                foreach (var other in Train.ItemUsers[item])
                {
                    if (other != user) overlap[other] = overlap.GetValueOrDefault(other) + 1;
                }
            }
            var nearest = overlap
                .Select(kv => (User: kv.Key, Sim: kv.Value / Math.Sqrt((double)mine.Length * Train.UserItems[kv.Key].Length)))
                .OrderByDescending(n => n.Sim).ThenBy(n => n.User)
                .Take(k);
            foreach (var (other, sim) in nearest)
            {
                foreach (var item in Train.UserItems[other]) scores[item] += (float)sim;
            }
        }
    }
}
