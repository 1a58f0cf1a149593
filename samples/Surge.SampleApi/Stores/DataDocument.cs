namespace Surge.SampleApi.Stores;

/// <summary>The shape of the json-file store's data.json; its seed is also what the sqlite store starts with.</summary>
internal sealed record DataDocument
{
    public static readonly DataDocument Empty = new();

    public IReadOnlyList<Item> Items { get; init; } = [];

    public IReadOnlyList<Order> Orders { get; init; } = [];

    public static DataDocument Seed() => new()
    {
        Items =
        [
            new(1, "Espresso beans", 12.50m), new(2, "Filter papers", 3.20m), new(3, "Milk jug", 9.90m),
            new(4, "Hand grinder", 45.00m), new(5, "Pour-over cone", 18.00m), new(6, "Gooseneck kettle", 39.00m),
            new(7, "Tamper", 24.00m), new(8, "Scale", 29.50m), new(9, "Cold brew jar", 21.00m),
            new(10, "Moka pot", 34.00m), new(11, "French press", 27.00m), new(12, "Travel mug", 15.00m),
            new(13, "Decaf beans", 11.00m), new(14, "Chai blend", 8.50m), new(15, "Green tea", 7.00m),
            new(16, "Oat milk", 2.90m), new(17, "Cocoa powder", 6.40m), new(18, "Sugar cubes", 1.80m),
            new(19, "Cleaning tablets", 9.00m), new(20, "Knock box", 19.00m),
        ],
    };
}
