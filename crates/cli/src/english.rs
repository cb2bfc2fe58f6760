//! English for counts in the command line's messages.

/// "1 volume", "3 volumes", "2 second witnesses".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if noun.ends_with('s') {
        format!("{n} {noun}es")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        assert_eq!(super::count(1, "volume"), "1 volume");
        assert_eq!(super::count(0, "volume"), "0 volumes");
        assert_eq!(super::count(2, "second witness"), "2 second witnesses");
    }
}
