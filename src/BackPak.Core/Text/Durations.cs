using System;
using System.Globalization;

namespace BackPak.Core.Text
{
    /// <summary>
    /// A duration as results give it: a number of seconds and the text <c>[d.]hh:mm:ss[.fff]</c>, which
    /// <see cref="TimeSpan.Parse(string)"/> and <c>[timespan]</c> read back. Results carry no TimeSpan, which
    /// ConvertTo-Json spreads into 15 fields.
    /// </summary>
    public static class Durations
    {
        public static string? Text(double? seconds) => seconds == null ? null : Text(TimeSpan.FromMilliseconds(Math.Round(seconds.Value * 1000)));

        public static string? Text(TimeSpan? t)
        {
            if (t == null) return null;
            var v = t.Value;
            var ms = new TimeSpan(v.Ticks - v.Ticks % TimeSpan.TicksPerMillisecond);
            var abs = ms < TimeSpan.Zero ? ms.Negate() : ms;
            string f = (abs.Days != 0 ? @"d\." : "") + @"hh\:mm\:ss" + (abs.Milliseconds != 0 ? @"\.fff" : "");
            return (ms < TimeSpan.Zero ? "-" : "") + abs.ToString(f, CultureInfo.InvariantCulture);
        }

        public static double? Seconds(TimeSpan? t) => t == null ? (double?)null : Math.Round(t.Value.TotalSeconds, 3);
    }
}
