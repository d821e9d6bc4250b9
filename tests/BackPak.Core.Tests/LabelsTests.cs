using BackPak.Core.Errors;
using BackPak.Core.Text;
using Xunit;

namespace BackPak.Core.Tests
{
    public class LabelsTests
    {
        [Theory]
        [InlineData("AB1234", "AB1234")]
        [InlineData("ab1234", "AB1234")]
        [InlineData(" 000072 ", "000072")]
        public void Normalize_accepts_six_letters_or_digits(string input, string expected) =>
            Assert.Equal(expected, Labels.Normalize(input));

        [Theory]
        [InlineData("AB")]
        [InlineData("AB12345")]
        [InlineData("AB-123")]
        [InlineData("")]
        [InlineData(null)]
        [InlineData("ÀB1234")]
        public void Normalize_rejects_malformed_labels_with_InvalidLabel(string? input)
        {
            var e = Assert.Throws<BackPakException>(() => Labels.Normalize(input));
            Assert.Equal(ErrorIds.InvalidLabel, e.ErrorId);
            Assert.Equal(BackPakErrorCategory.InvalidArgument, e.Category);
            Assert.False(e.StopsInvocation);
            Assert.NotNull(e.RecommendedAction);
        }

        [Theory]
        [InlineData("AB1*", true)]
        [InlineData("*", true)]
        [InlineData("??12??", true)]
        [InlineData("[A-C]B1234", true)]
        [InlineData("ab1*", true)]
        [InlineData("AB1234", false)]
        public void ParsePattern_accepts_patterns_that_can_match(string text, bool wildcard)
        {
            var p = Labels.ParsePattern(text);
            Assert.Equal(wildcard, p.IsWildcard);
            Assert.Equal(text.ToUpperInvariant(), p.Text);
        }

        [Theory]
        [InlineData("ABCDEFG*")]   // seven fixed characters: never a label
        [InlineData("AB?")]        // three positions without '*'
        [InlineData("AB_*")]       // '_' cannot be in a label
        [InlineData("[A-C")]       // unclosed set
        [InlineData("[]B1234")]    // empty set
        [InlineData("[!A]B1234")]  // negation is not supported
        public void ParsePattern_rejects_patterns_that_can_never_match(string text)
        {
            var e = Assert.Throws<BackPakException>(() => Labels.ParsePattern(text));
            Assert.Equal(ErrorIds.InvalidLabel, e.ErrorId);
        }

        [Theory]
        [InlineData("*")]
        [InlineData("??????")]
        [InlineData("**")]
        [InlineData("?*")]
        [InlineData("*??????")]
        [InlineData("[A-Z0-9]*")]
        [InlineData("[0-9A-Z]?????")]
        [InlineData("[A-M]*", "[N-Z]*", "[0-9]*")]
        [InlineData("*A*", "[B-Z0-9]*", "?[B-Z0-9]*", "??[B-Z0-9]*", "???[B-Z0-9]*", "????[B-Z0-9]*", "?????[B-Z0-9]")]
        public void Patterns_that_together_match_every_label_are_recognised(params string[] patterns) =>
            Assert.True(Labels.MatchesEveryLabel(System.Linq.Enumerable.Select(patterns, Labels.ParsePattern)));

        [Theory]
        [InlineData("A*")]
        [InlineData("[A-Z]*")]
        [InlineData("?????[A-Y]")]
        [InlineData("*A*")]
        [InlineData("[A-M]*", "[N-Z]*")]
        [InlineData("AB1234")]
        [InlineData("AB1234", "*1*")]
        public void Patterns_that_leave_a_label_out_are_not(params string[] patterns) =>
            Assert.False(Labels.MatchesEveryLabel(System.Linq.Enumerable.Select(patterns, Labels.ParsePattern)));
    }

    public class WildcardTests
    {
        [Theory]
        [InlineData("DS*", "DS01", true)]
        [InlineData("ds0?", "DS01", true)]
        [InlineData("DS0[1-2]", "DS02", true)]
        [InlineData("DS0[1-2]", "DS03", false)]
        [InlineData("*1", "DS01", true)]
        [InlineData("*2", "DS01", false)]
        [InlineData("D*S*1", "DS01", true)]
        [InlineData("DS01", "DS01", true)]
        [InlineData("DS0", "DS01", false)]
        public void Matches_like_PowerShell(string pattern, string value, bool expected) =>
            Assert.Equal(expected, Wildcard.Matches(pattern, value));

        [Theory]
        [InlineData("A*", true)]
        [InlineData("A?", true)]
        [InlineData("[AB]", true)]
        [InlineData("AB", false)]
        public void IsPattern(string text, bool expected) => Assert.Equal(expected, Wildcard.IsPattern(text));
    }

    public class NamesTests
    {
        [Theory]
        [InlineData("ds01", "DS01")]
        [InlineData("MY STORE", "MY STORE")]
        public void DataStore_names_are_upper_cased(string input, string expected) =>
            Assert.Equal(expected, Names.NormalizeDataStore(input));

        [Theory]
        [InlineData("")]
        [InlineData("DS*")]
        [InlineData("THIS-NAME-IS-MUCH-TOO-LONG-FOR-A-STORE")]
        public void Bad_data_store_names_are_InvalidName(string input) =>
            Assert.Equal(ErrorIds.InvalidName, Assert.Throws<BackPakException>(() => Names.NormalizeDataStore(input)).ErrorId);

        [Theory]
        [InlineData(@"\A", @"\A")]
        [InlineData("a", @"\A")]
        [InlineData(@"\prod1", @"\PROD1")]
        public void Node_names_get_their_backslash(string input, string expected) =>
            Assert.Equal(expected, Names.NormalizeNode(input));

        [Theory]
        [InlineData(@"\")]
        [InlineData(@"\1A")]
        [InlineData(@"\ABCDEFGH")]
        [InlineData(@"\A.B")]
        public void Bad_node_names_are_InvalidName(string input) =>
            Assert.Equal(ErrorIds.InvalidName, Assert.Throws<BackPakException>(() => Names.NormalizeNode(input)).ErrorId);
    }
}
