namespace FeedbackPlatform.Clinical;

/// <summary>
/// Numbers reach the core from JSON and GraphQL as doubles; the core counts in decimals. Each transport reads a
/// number's literal with <see cref="Parse"/>, so only a number a double carries exactly as written gets through, and
/// the core takes a double only when a decimal stands for exactly that double: otherwise 1e-300 would become 0.0,
/// 0.30000000000000004 would become 0.3 and 4.50000000000000001 would become 4.5, values nobody sent turned into valid ones.
/// </summary>
public static class TransportNumber
{
    /// <summary>A double round-trips any decimal of up to this many significant digits.</summary>
    public const int SignificantDigits = 15;

    /// <summary>The decimal equal to <paramref name="raw"/>, or null when there is none (not finite, under- or overflow, precision lost).</summary>
    public static decimal? AsDecimal(double raw)
    {
        if (!double.IsFinite(raw) || Math.Abs(raw) >= 1e28)
            return null;
        var value = (decimal)raw;
        return (double)value == raw ? value : null;
    }

    /// <summary>
    /// The exact value of a number literal as JSON and GraphQL write it (<c>-12.50e-1</c>), or null when the text is not
    /// one, when it has more than <see cref="SignificantDigits"/> significant digits (the double that carries it would
    /// round it), or when a decimal cannot hold it (1e28 and beyond, or a digit finer than 1e-28: under- or overflow).
    /// </summary>
    public static decimal? Parse(ReadOnlySpan<char> literal)
    {
        var i = 0;
        var negative = literal.Length > 0 && literal[0] == '-';
        if (negative)
            i++;
        Span<char> digits = stackalloc char[SignificantDigits];
        int count = 0, dropped = 0, exponent = 0;
        var any = false;
        var seenPoint = false;
        for (; i < literal.Length; i++)
        {
            var c = literal[i];
            if (c == '.' && !seenPoint && any)
            {
                seenPoint = true;
                if (i + 1 >= literal.Length || !char.IsAsciiDigit(literal[i + 1]))
                    return null;
                continue;
            }
            if (!char.IsAsciiDigit(c))
                break;
            any = true;
            if (seenPoint)
                exponent--;
            if (c == '0' && count == 0)
                continue; // a leading zero
            if (c == '0')
            {
                dropped++; // a zero after the last digit other than zero is kept only if another such digit follows
                continue;
            }
            if (count + dropped + 1 > SignificantDigits)
                return null;
            for (; dropped > 0; dropped--)
                digits[count++] = '0';
            digits[count++] = c;
        }
        if (!any)
            return null;
        // The trailing zeros not kept as digits move into the exponent.
        exponent += dropped;
        if (i < literal.Length)
        {
            if (literal[i] is not ('e' or 'E'))
                return null;
            i++;
            var negativeExponent = i < literal.Length && literal[i] == '-';
            if (i < literal.Length && literal[i] is '-' or '+')
                i++;
            if (i >= literal.Length)
                return null;
            var written = 0;
            for (; i < literal.Length; i++)
            {
                if (!char.IsAsciiDigit(literal[i]))
                    return null;
                written = Math.Min(written * 10 + (literal[i] - '0'), 100_000);
            }
            exponent += negativeExponent ? -written : written;
        }
        if (count == 0)
            return 0m;
        if (count + exponent > 28 || exponent < -28)
            return null;
        var mantissa = ulong.Parse(digits[..count]);
        decimal value;
        if (exponent < 0)
            value = new decimal((int)(mantissa & 0xFFFF_FFFF), (int)(mantissa >> 32), 0, false, (byte)-exponent);
        else
        {
            value = mantissa;
            for (var e = 0; e < exponent; e++)
                value *= 10m;
        }
        return negative ? -value : value;
    }
}
