using EcomGo.Storefront.Data.Seed.Catalog;

namespace EcomGo.Storefront.Data.Seed.Reviews;

/// <summary>
/// Category-independent review fragments. Category-specific aspects (fit, battery, taste...) live in the
/// category profiles; these pools supply the openers, frames and closers that glue them into reviews.
/// Slots: {short} product noun, {a_short} with article, {Model}, {Brand}, {time}/{Time}, {recipient}, {fail}.
/// A leading "~" marks gear-only templates that don't suit books ("using the ...").
/// </summary>
internal static class ReviewVocabulary
{
    public static readonly string[] PositiveOpeners =
    [
        "Really happy with this {short}.",
        "~I've been using the {Model} for {time} now and it's been great.",
        "Bought this {short} for {recipient} and it was a huge hit.",
        "Exactly what I was looking for in {a_short}.",
        "This is my second {Brand} purchase and it did not disappoint.",
        "~After {time} of regular use, I'm still impressed.",
        "~Upgraded from a cheaper {short} and the difference is obvious.",
        "Honestly one of the best things I've bought this year.",
        "~The {Model} is a real winner.",
        "So glad I took a chance on {Brand}.",
        "I absolutely love this {short}.",
        "~Did a lot of research before choosing the {Model}, and it was worth it.",
        "{Time} in and I have zero regrets.",
        "Great {short} from {Brand}.",
        "I was sceptical at first, but this {short} won me over.",
        "~Couldn't be happier with the {Model}.",
        "~This {short} has quietly become something I use every single day.",
        "~Replaced my old {short} with the {Model} and I'm delighted.",
        "A friend recommended {Brand}, and now I see why.",
        "Fantastic {short}, and I don't say that lightly.",
        "What a lovely surprise this {short} turned out to be.",
        "Genuinely excellent {short}.",
        "~The {Model} has exceeded every expectation I had.",
        "Treated myself to this {short} and I'm thrilled with it.",
    ];

    public static readonly string[] BookPositiveOpeners =
    [
        "I read {Model} in two sittings and loved every page.",
        "Picked up {Model} on a whim and it's now a favourite.",
        "{Model} is the best thing I've read all year.",
        "Our book club adored {Model}.",
        "I've already recommended {Model} to half my friends.",
    ];

    public static readonly string[] NeutralOpeners =
    [
        "It's an okay {short}, nothing more and nothing less.",
        "~Mixed feelings about the {Model} after {time}.",
        "Decent {short}, though not quite what I expected.",
        "It does the job, but I'm not blown away.",
        "Not bad, not great.",
        "I have a few reservations about this {short}.",
        "~The {Model} is fine for the price, I suppose.",
        "It's a perfectly average {short}.",
        "Some things I like, some things I don't.",
        "~After {time} I'm still on the fence about the {Model}.",
        "It's a middle-of-the-road {short}.",
        "I expected a little more from {Brand}, but it's acceptable.",
        "Three stars feels about right for this one.",
        "~It's okay for occasional use.",
        "Hard to get excited about this {short} either way.",
        "Somewhere between good and disappointing.",
        "A so-so {short} overall.",
        "~The {Model} is neither a bargain nor a rip-off.",
    ];

    public static readonly string[] BookNeutralOpeners =
    [
        "{Model} was fine, but it didn't grab me the way I'd hoped.",
        "I finished {Model}, though it took some effort.",
        "{Model} is a pleasant enough read, if forgettable.",
        "Parts of {Model} are great and parts are a slog.",
    ];

    public static readonly string[] NegativeOpeners =
    [
        "Really disappointed with this {short}.",
        "~I wanted to like the {Model}, but it let me down.",
        "This {short} went back after {time}.",
        "Do not waste your money on this {short}.",
        "Worst {short} I've owned, and I've owned a few.",
        "Poor quality, sadly.",
        "I expected far better from {Brand}.",
        "~Honestly regret buying the {Model}.",
        "This was a complete waste of money.",
        "Not worth the price at all.",
        "Such a letdown after all the good reviews.",
        "~I've had this {short} for {time} and I'm already fed up with it.",
        "Very unhappy with this purchase.",
        "Bought it for {recipient}, and it was an embarrassment.",
        "~Terrible experience with the {Model} from start to finish.",
        "I really can't recommend this {short}.",
        "What a disappointing {short}.",
        "~The {Model} is a mess, frankly.",
    ];

    public static readonly string[] BookNegativeOpeners =
    [
        "I gave up on {Model} halfway through.",
        "{Model} was a real chore to finish.",
        "I can't understand the hype around {Model}.",
        "Our book club unanimously disliked {Model}.",
    ];

    public static readonly string[] PositiveFrames =
    [
        "{C}.", "{C}.", "I love that {c}.", "Best of all, {c}.", "Also, {c}.", "{C}, which I really appreciate.",
        "{C}, exactly as I'd hoped.", "What impressed me most is that {c}.", "On top of that, {c}.",
        "I was pleased to find that {c}.", "Happily, {c}.", "Another plus: {c}.", "I'm really glad {c}.",
    ];

    public static readonly string[] NegativeFrames =
    [
        "{C}.", "{C}.", "Unfortunately, {c}.", "The main problem is that {c}.", "{C}, which is really frustrating.",
        "Worse still, {c}.", "To make matters worse, {c}.", "I was annoyed to find that {c}.", "Sadly, {c}.",
        "{C}, and that's just not acceptable.", "On top of everything, {c}.", "I'm baffled that {c}.",
    ];

    public static readonly string[] MixedFrames =
    [
        "{P}, but {n}.", "I like that {p}; the downside is that {n}.", "{P}, although {n}.",
        "On the plus side, {p}, but {n}.", "{N}, though to be fair {p}.", "While {p}, {n}.",
        "{P}. On the other hand, {n}.", "{N}. That said, {p}.",
    ];

    public static readonly string[] MehFrames =
    [
        "{M}.", "As for the {aspect}, {m}.", "On {aspect}: {m}.", "{M}, for what it's worth.",
    ];

    // A 4-star review can carry one small gripe and still read as clearly positive.
    public static readonly string[] PositiveNitpicks =
    [
        "My only small complaint is that {n}.", "One minor gripe: {n}.", "If I'm being picky, {n}.",
        "It's not perfect, since {n}, but that's a small thing.",
    ];

    // A 2-star review can concede one point and still read as clearly negative.
    public static readonly string[] NegativeConcessions =
    [
        "To be fair, {p}, but that doesn't make up for the rest.", "The only good thing is that {p}.",
        "I'll admit {p}, but overall it's a letdown.", "Yes, {p}, but that's about all I can say for it.",
    ];

    public static readonly string[] PositiveClosers =
    [
        "Would buy again.", "Highly recommend it.", "Five stars from me.", "Already thinking about getting a second one.",
        "Can't recommend it enough.", "Worth every penny.", "No regrets at all.", "I'd happily buy it again tomorrow.",
        "A brilliant buy.", "Definitely recommend it to anyone on the fence.", "Ten out of ten.", "Very happy customer here.",
        "Keep up the good work, {Brand}.", "I'll be buying from {Brand} again.", "Genuinely impressed.", "Money well spent.",
        "Go for it.", "Love it!", "Delighted with it.", "Totally worth it.", "Big thumbs up from me.",
        "Already recommended it to {recipient}.", "Can't fault it.", "A joy to own.", "Thoroughly recommended.",
    ];

    public static readonly string[] NeutralClosers =
    [
        "Fine for the price, I guess.", "I'd wait for a sale.", "It's okay, but I won't rave about it.",
        "Probably wouldn't buy it again, but I'm keeping it.", "Average overall.", "Might suit someone with lower expectations.",
        "Decent enough, I suppose.", "Not sure I'd recommend it, not sure I wouldn't.", "It'll do for now.",
        "Could be better, could be worse.", "Worth it on discount, not at full price.", "Keeping it, with mixed feelings.",
        "A reasonable choice if you find it cheap.", "Three stars.", "It's fine, just fine.",
    ];

    public static readonly string[] NegativeClosers =
    [
        "Returning it.", "Save your money.", "One star, and that's generous.", "Avoid.", "Never again.",
        "Sending it back today.", "Look elsewhere.", "I want my money back.", "Really poor.",
        "I won't be buying from {Brand} again.", "Complete waste of money.", "Total disappointment.",
        "Shame, because it looked great online.", "Stay away from this one.", "Very poor value.", "Not recommended.",
    ];

    public static readonly string[] SarcasticTemplates =
    [
        "Oh great, another {short} that {fail} within a week. Truly revolutionary.",
        "Wow, all that money for {a_short} that {fail}? What a bargain.",
        "Love how it {fail} right after the return window closed. Impeccable timing.",
        "Ten out of ten for teaching me patience. The {short} itself {fail} in {time}.",
        "Really impressive how quickly this {short} {fail}. A true marvel of engineering.",
        "If you've always wanted {a_short} that {fail}, look no further.",
        "Fantastic. Just fantastic. My brand-new {short} {fail} before I'd even finished unpacking it.",
        "Congratulations, {Brand}: you've made {a_short} that {fail} faster than anything I've ever owned.",
        "Best paperweight I've ever bought, since the {short} {fail} almost immediately.",
        "Nothing says quality like {a_short} that {fail} on its first outing.",
        "Brilliant design, truly. It {fail} the moment I needed it most.",
        "Thrilled, obviously. Who doesn't want {a_short} that {fail}?",
    ];

    public static readonly string[] PositiveTitles =
    [
        "Love it", "Great {short}", "Exceeded expectations", "Worth every penny", "Solid buy", "Five stars",
        "Does exactly what it says", "Brilliant", "Really impressed", "Fantastic {short}", "My new favourite", "Great value",
        "Very happy", "Top notch", "Highly recommended", "So glad I bought this", "Better than expected", "Excellent {aspect}",
        "Love the {aspect}", "A keeper", "Just right", "Superb", "No complaints", "Impressive", "Lovely {short}", "Spot on",
    ];

    public static readonly string[] NeutralTitles =
    [
        "It's okay", "Mixed feelings", "Decent but flawed", "Average", "Good and bad", "Not bad, not great",
        "Fine for the price", "Could be better", "Meh", "Some pros, some cons", "Does the job", "Middle of the road",
        "Good {aspect}, shame about the rest", "Three stars", "Almost great", "On the fence", "Acceptable", "So-so {short}",
    ];

    public static readonly string[] NegativeTitles =
    [
        "Disappointed", "Not worth it", "Returned it", "Broke quickly", "Avoid", "Save your money", "Poor quality",
        "Very unhappy", "Waste of money", "Terrible {aspect}", "Don't bother", "Big letdown", "Not as described",
        "Regret buying", "Awful", "Poor {aspect}", "Wouldn't recommend",
    ];

    public static readonly string[] SarcasticTitles =
    [
        "Truly revolutionary", "What a bargain", "Impeccable timing", "A marvel of engineering", "Just what I always wanted",
        "Nailed it, {Brand}", "Wow. Just wow.", "Simply amazing (not)",
    ];

    public static readonly string[] TimePhrases =
    [
        "two weeks", "a month", "three months", "six weeks", "a few days", "half a year", "two months",
        "a fortnight", "ten days", "four months", "a couple of weeks", "almost a year",
    ];

    // Aspects every product can be reviewed on, whatever its category.
    public static readonly ReviewAspect[] GenericAspects =
    [
        new("delivery",
            ["delivery was quick and it arrived in two days", "it arrived a day earlier than promised", "the courier was friendly and right on time",
             "it turned up the very next morning", "delivery was fast and tracking was accurate", "it arrived in three days, well packed"],
            ["delivery took almost three weeks", "the parcel was left out in the rain", "it arrived a week later than promised",
             "the courier marked it delivered when it wasn't", "delivery was a shambles from start to finish"],
            ["delivery took about a week, which is fine", "delivery was slower than expected, but it got here", "delivery was on time, nothing more to say"]),
        new("packaging",
            ["it was packed carefully with no plastic", "the packaging was neat and easy to recycle", "it came really well protected",
             "the box was compact and sensibly packed"],
            ["the box was crushed on arrival", "it came wrapped in far too much plastic", "the packaging was torn open when it arrived",
             "it arrived scratched because the packaging was flimsy"],
            ["the packaging was basic but did the job", "the box was bigger than it needed to be, but fine"]),
        new("value",
            ["it's excellent value for money", "for the price, it's hard to beat", "it feels like it should cost twice as much",
             "the price is very fair for this quality"],
            ["it's massively overpriced", "for this price I expected far more", "you can get better for half the price",
             "it's poor value compared to the alternatives"],
            ["the price is about right", "it's fairly priced, not a bargain", "value is okay if you catch a sale"]),
        new("customer service",
            ["customer service sorted a small issue within a day", "the support team were helpful and quick",
             "support replied within an hour and fixed everything"],
            ["customer service never replied to my emails", "support just kept sending me the same FAQ link",
             "customer service was rude and unhelpful"],
            ["customer service was polite but slow"]),
    ];

    public static readonly string[] FirstNames =
    [
        "Margaret", "Daniel", "Aisha", "Tom", "Ingrid", "Luis", "Mei", "Graham", "Fatima", "Oliver", "Nadia", "Patrick",
        "Yuki", "Sam", "Beatriz", "Kwame", "Helen", "Ravi", "Chloe", "Arjun", "Sinead", "Mateo", "Hannah", "Dmitri",
        "Grace", "Omar", "Lucy", "Jun", "Emeka", "Rosa", "Pete", "Anika", "Gareth", "Leah", "Viktor", "Zoe",
        "Sanjay", "Elif", "Brian", "Camille", "Tariq", "Joanna", "Kofi", "Martina", "Hugo", "Layla", "Stuart", "Noor",
    ];

    public static readonly string[] LastInitials =
    [
        "A.", "B.", "C.", "D.", "E.", "F.", "G.", "H.", "J.", "K.", "L.", "M.", "N.", "O.", "P.", "R.", "S.", "T.", "W.", "Y.",
    ];
}
