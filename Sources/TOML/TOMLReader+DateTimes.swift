/// TOML's dates and times (RFC 3339): `1979-05-27T07:32:00Z`, `1979-05-27 07:32:00.999-07:00`,
/// `1979-05-27T07:32:00`, `1979-05-27`, `07:32:00`. Each field is checked against the calendar.
extension TOMLReader {
    /// nil when the token is not shaped like a date (four digits and `-`) or a time (two digits and `:`);
    /// throws when it is but is not a valid one. A date may be followed by a blank and a time.
    public mutating func dateOrTime(_ token: ArraySlice<UInt8>) throws(TOMLProblem) -> TOMLValueShape? {
        // Most bare values are numbers: tell them apart before copying anything.
        guard token.count >= 3, token.prefix(5).contains(where: { $0 == TOMLByte.minus || $0 == TOMLByte.colon }) else { return nil }
        let text = Array(token)
        if text.count >= 5, text[0..<4].allSatisfy(Self.isDigit), text[4] == TOMLByte.minus {
            try checkDate(text.prefix(10), within: token)
            if text.count == 10 {
                // `1979-05-27 07:32:00`: a blank may stand for the T.
                guard peek == TOMLByte.space, index + 3 < end, Self.isDigit(bytes[index + 1]), Self.isDigit(bytes[index + 2]),
                      bytes[index + 3] == TOMLByte.colon else { return .localDate }
                index += 1
                let timeStart = index
                while let byte = peek, Self.isScalarByte(byte) { index += 1 }
                let hasOffset = try checkTime(bytes[timeStart..<index], afterDate: true, within: bytes[token.startIndex..<index])
                return hasOffset ? .offsetDateTime : .localDateTime
            }
            guard text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: "t") else {
                throw problem("invalid date-time \(Self.quoted(token)): the date and the time go together with a T or a blank")
            }
            return try checkTime(text[11...], afterDate: true, within: token) ? .offsetDateTime : .localDateTime
        }
        if text.count >= 3, Self.isDigit(text[0]), Self.isDigit(text[1]), text[2] == TOMLByte.colon {
            _ = try checkTime(text[...], afterDate: false, within: token)
            return .localTime
        }
        return nil
    }

    /// `YYYY-MM-DD`, a day the month has. `token` is the whole value, for messages.
    private func checkDate(_ date: ArraySlice<UInt8>, within token: ArraySlice<UInt8>) throws(TOMLProblem) {
        var shown: String { Self.quoted(token) }
        let date = Array(date)
        guard date.count == 10, let year = Self.number(date, 0, digits: 4), date[4] == TOMLByte.minus,
              let month = Self.number(date, 5, digits: 2), date[7] == TOMLByte.minus, let day = Self.number(date, 8, digits: 2) else {
            throw problem("invalid date \(shown): expected YYYY-MM-DD")
        }
        guard (1...12).contains(month) else { throw problem("invalid date \(shown): there is no month \(month)") }
        let isLeapYear = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, isLeapYear ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { throw problem("invalid date \(shown): day \(day) is not in month \(month) of \(year)") }
    }

    /// `HH:MM:SS`, maybe a fraction of a second, then, after a date only, maybe an offset (`Z`, `+05:30`).
    /// True when there is an offset.
    private func checkTime(_ time: ArraySlice<UInt8>, afterDate: Bool, within token: ArraySlice<UInt8>) throws(TOMLProblem) -> Bool {
        var shown: String { Self.quoted(token) }
        let time = Array(time)
        guard time.count >= 8, let hour = Self.number(time, 0, digits: 2), time[2] == TOMLByte.colon,
              let minute = Self.number(time, 3, digits: 2), time[5] == TOMLByte.colon, let second = Self.number(time, 6, digits: 2) else {
            throw problem("invalid time in \(shown): expected HH:MM:SS")
        }
        // RFC 3339 allows a leap second, 60.
        guard hour <= 23, minute <= 59, second <= 60 else { throw problem("invalid time in \(shown): \(hour):\(minute):\(second) is not a time of day") }
        var position = 8
        if position < time.count && time[position] == TOMLByte.dot {
            position += 1
            let fractionStart = position
            while position < time.count && Self.isDigit(time[position]) { position += 1 }
            guard position > fractionStart else { throw problem("invalid time in \(shown): a fraction of a second needs digits") }
        }
        guard position < time.count else { return false }
        guard afterDate else { throw problem("invalid time \(shown): a time without a date ends after its seconds") }
        if time[position] == UInt8(ascii: "Z") || time[position] == UInt8(ascii: "z") {
            guard position + 1 == time.count else { throw problem("invalid date-time \(shown): nothing may follow its Z") }
            return true
        }
        guard time[position] == TOMLByte.plus || time[position] == TOMLByte.minus, time.count == position + 6,
              let hours = Self.number(time, position + 1, digits: 2), time[position + 3] == TOMLByte.colon,
              let minutes = Self.number(time, position + 4, digits: 2) else {
            throw problem("invalid date-time \(shown): expected an offset such as Z, +05:30 or -07:00 after the time")
        }
        guard hours <= 23, minutes <= 59 else { throw problem("invalid date-time \(shown): offset \(hours):\(minutes) is not one") }
        return true
    }

    /// The number `digits` decimal digits at `start` spell, nil when they are not all digits.
    private static func number(_ text: [UInt8], _ start: Int, digits: Int) -> Int? {
        guard start + digits <= text.count else { return nil }
        var value = 0
        for byte in text[start..<(start + digits)] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - TOMLByte.zero)
        }
        return value
    }
}
