import Foundation

/// WCAG 2 contrast between two `#RRGGBB` colours.
public enum ColorContrast {
    /// The minimum contrast WCAG 2 (level AA) asks for normal text.
    public static let minimumForText = 4.5

    /// The contrast ratio (1 to 21) of two `#RRGGBB` colours, or nil if either is malformed.
    public static func ratio(_ first: String, _ second: String) -> Double? {
        guard let lighter = luminance(first), let darker = luminance(second) else { return nil }
        return (max(lighter, darker) + 0.05) / (min(lighter, darker) + 0.05)
    }

    /// The relative luminance (0 to 1) of a `#RRGGBB` colour.
    public static func luminance(_ color: String) -> Double? {
        guard let normalised = FieldRules.color(color), let value = UInt32(normalised.dropFirst(), radix: 16) else { return nil }
        let red = channel(value >> 16), green = channel(value >> 8), blue = channel(value)
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue
    }

    /// The ratio written with two decimals, rounded down (`4.48:1`), so it never reads as enough when it is not.
    public static func formatted(_ ratio: Double) -> String {
        let hundredths = Int((ratio * 100).rounded(.down))
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction):1"
    }

    private static func channel(_ bits: UInt32) -> Double {
        let value = Double(bits & 0xFF) / 255
        return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
    }
}
