using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Tests;

public class ScoringTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(10.0)]
    [InlineData(9.9)]
    [InlineData(0.1)]
    public void Items_on_the_line_are_read_exactly(double value) =>
        Assert.Equal((decimal)value, RatingScale.ReadItem("relationship", value));

    [Theory]
    [InlineData(10.1)]
    [InlineData(11.0)]
    [InlineData(-0.1)]
    [InlineData(9.25)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(null)]
    [InlineData(1e-300)] // in range, but a decimal cannot hold it: it would become 0.0
    [InlineData(double.Epsilon)]
    [InlineData(0.30000000000000004)] // not 0.3: a double to decimal conversion would round it into a valid item
    [InlineData(9.000000000000002)]
    public void Items_off_the_line_are_refused_naming_the_field(double? value)
    {
        var rejection = Assert.Throws<ClinicalRejection>(() => RatingScale.ReadItem("goalsAndTopics", value));
        Assert.Equal(ErrorCodes.ValidationFailed, rejection.Code);
        Assert.Equal("goalsAndTopics", rejection.Field);
    }

    [Theory]
    [InlineData(36.0, 36.0)]
    [InlineData(0.1, 0.1)]
    [InlineData(-0.0, 0.0)]
    [InlineData(100000.0, 100000.0)]
    public void A_transport_number_becomes_the_decimal_equal_to_it(double raw, double expected) =>
        Assert.Equal((decimal)expected, TransportNumber.AsDecimal(raw));

    [Theory]
    [InlineData(1e-300)]
    [InlineData(0.30000000000000004)]
    [InlineData(1e30)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void A_transport_number_no_decimal_equals_is_not_taken(double raw) => Assert.Null(TransportNumber.AsDecimal(raw));

    [Theory]
    [InlineData("9", "9")]
    [InlineData("-0", "0")]
    [InlineData("0.0e-400", "0")]
    [InlineData("4.55", "4.55")] // a literal the core then refuses for its second decimal, never rounds
    [InlineData("4.500000000000000", "4.5")]
    [InlineData("1050", "1050")]
    [InlineData("-12.50e-1", "-1.25")]
    [InlineData("25E+1", "250")]
    [InlineData("0.001", "0.001")]
    [InlineData("1e-28", "0.0000000000000000000000000001")]
    [InlineData("123456789012345", "123456789012345")]
    [InlineData("9.99999999999999e27", "9999999999999990000000000000")]
    public void A_literal_is_read_exactly_as_written(string literal, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TransportNumber.Parse(literal));

    [Theory]
    [InlineData("1e-300")] // a double would underflow it, or a decimal round it, to 0.0
    [InlineData("-1e-400")]
    [InlineData("9e-29")]
    [InlineData("1e28")]
    [InlineData("1e400")]
    [InlineData("4.50000000000000001")] // a double carries this as 4.5
    [InlineData("0.30000000000000004")]
    [InlineData("9.0000000000000001")]
    [InlineData("0.1000000000000000055511151231257827")]
    [InlineData("1234567890123456")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-")]
    [InlineData("")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1.2.3")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("0x10")]
    [InlineData("9 ")]
    [InlineData("1e99999999999999999999")]
    public void A_literal_a_double_does_not_carry_as_written_is_not_taken(string literal) => Assert.Null(TransportNumber.Parse(literal));

    [Fact]
    public void Every_point_of_the_line_written_as_a_literal_reaches_the_core_unchanged()
    {
        for (var tenths = 0; tenths <= 100; tenths++)
        {
            var item = tenths / 10m;
            var literal = item.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(item, TransportNumber.Parse(literal));
            Assert.Equal(item, RatingScale.ReadItem("overall", double.Parse(literal, System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public void The_SRS_total_is_the_sum_of_its_items_and_items_under_nine_are_flagged()
    {
        var srs = SessionRating.Read(9.0, 8.9, 10.0, 7.5);
        Assert.Equal(35.4m, srs.Total);
        Assert.Equal(["goalsAndTopics", "overall"], srs.FlaggedItems(9.0m));
    }

    [Fact]
    public void A_missing_ORS_item_is_refused_with_its_name() =>
        Assert.Equal("social", Assert.Throws<ClinicalRejection>(() => OutcomeRating.Read(5, 5, null, 5)).Field);

    [Theory]
    [InlineData(20.0, 25.0, OutcomeChange.Recovered)]             // +5 and crossed the adult cutoff 25
    [InlineData(20.0, 24.9, OutcomeChange.NoReliableChange)]      // +4.9 is not reliable
    [InlineData(26.0, 31.0, OutcomeChange.ReliableImprovement)]   // +5, but intake was not in the clinical range
    [InlineData(18.0, 23.0, OutcomeChange.ReliableImprovement)]   // +5, still under the cutoff
    [InlineData(20.0, 15.0, OutcomeChange.ReliableDeterioration)] // exactly intake − 5
    [InlineData(20.0, 15.1, OutcomeChange.NoReliableChange)]
    public void ORS_change_is_categorised_against_intake(double intake, double total, OutcomeChange expected) =>
        Assert.Equal(expected, OutcomeChangeIndex.Categorize((decimal)intake, (decimal)total, 25m, 5m));

    [Fact]
    public void The_WAI_SR_worked_example_of_the_spec()
    {
        var scores = WorkingAllianceInventory.Score([4, 4, 5, 3, 4, 4, 5, 4, 3, 4, 5, 4]);
        Assert.Equal(16, scores.Task);
        Assert.Equal(16, scores.Goal);
        Assert.Equal(17, scores.Bond);
        Assert.Equal(49, scores.Total);
        Assert.Equal(4.08m, scores.Mean);
        Assert.Equal(4.25m, scores.BondMean);
    }

    [Fact]
    public void A_WAI_SR_with_eleven_items_is_refused() =>
        Assert.Equal("items", Assert.Throws<ClinicalRejection>(() => WorkingAllianceInventory.Score([4, 4, 5, 3, 4, 4, 5, 4, 3, 4, 5])).Field);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(11, 6)]
    public void A_WAI_SR_item_outside_one_to_five_is_refused_naming_it(int index, int value)
    {
        var items = Enumerable.Repeat(3, 12).ToArray();
        items[index] = value;
        Assert.Equal($"items[{index}]", Assert.Throws<ClinicalRejection>(() => WorkingAllianceInventory.Score(items)).Field);
    }
}
