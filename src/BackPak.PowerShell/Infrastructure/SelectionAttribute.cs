using System;
using System.Collections;
using System.Collections.Generic;

namespace BackPak.PowerShell
{
    /// <summary>
    /// Marks a parameter that chooses what a cmdlet works on: labels, names, data stores, run ids, the domain. Left
    /// out, it means what the cmdlet documents (often "all"); given with nothing in it — $null, an empty list, blank
    /// text, as <c>-Label (Get-Content empty.txt)</c> gives — it never does: a cmdlet that changes things refuses
    /// (EmptySelection) and a read selects nothing. <see cref="BPCmdlet"/> enforces it for every marked parameter.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class SelectionAttribute : Attribute
    {
        /// <summary>
        /// False when a value selects nothing: null, blank text, or a list with no item left once null and blank items
        /// are dropped. <paramref name="kept"/> is the value without its blank items.
        /// </summary>
        public static bool Clean(object? value, out object? kept, out int blanks)
        {
            kept = value;
            blanks = 0;
            switch (value)
            {
                case null:
                    return false;
                case string text:
                    return !string.IsNullOrWhiteSpace(text);
                case Array array:
                    var items = new List<object>();
                    foreach (var item in array)
                        if (item == null || (item is string s && string.IsNullOrWhiteSpace(s))) blanks++;
                        else items.Add(item);
                    if (items.Count == 0) return false;
                    if (blanks > 0)
                    {
                        var copy = Array.CreateInstance(array.GetType().GetElementType()!, items.Count);
                        for (int i = 0; i < items.Count; i++) copy.SetValue(items[i], i);
                        kept = copy;
                    }
                    return true;
                case IEnumerable list:
                    foreach (var item in list)
                        if (item != null && !(item is string s && string.IsNullOrWhiteSpace(s))) return true;
                    return false;
                default:
                    return true;
            }
        }
    }
}
