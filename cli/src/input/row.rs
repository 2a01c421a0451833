//! One input row as read, before validation: the known columns, each a cell or absent.

/// A column the bulk input understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `email`
    Email,
    /// `pkey`
    PKey,
    /// `optOut`
    OptOut,
    /// `requestId`
    RequestId,
    /// `receivedAt`
    ReceivedAt,
    /// `source`
    Source,
    /// `gpc`: the Global Privacy Control signal.
    Gpc,
    /// `usp`: an IAB US Privacy string.
    Usp,
    /// `gpp`: an IAB GPP string.
    Gpp,
    /// `action`: `access`, `delete` or both (requests to know and to delete).
    Action,
    /// `namespace`: an identity's namespace other than `email` (`phone`, `ECID`, a custom one).
    Namespace,
    /// `value`: the identity in that namespace.
    Value,
    /// `type`: how the namespace is read (`standard`, `custom`, …).
    IdType,
}

impl Column {
    /// Every column, in the order derived request ids hash them.
    pub const ALL: [Column; 13] = [
        Column::Email,
        Column::PKey,
        Column::OptOut,
        Column::RequestId,
        Column::ReceivedAt,
        Column::Source,
        Column::Gpc,
        Column::Usp,
        Column::Gpp,
        Column::Action,
        Column::Namespace,
        Column::Value,
        Column::IdType,
    ];

    /// The name as documented.
    pub const fn name(self) -> &'static str {
        match self {
            Column::Email => "email",
            Column::PKey => "pkey",
            Column::OptOut => "optOut",
            Column::RequestId => "requestId",
            Column::ReceivedAt => "receivedAt",
            Column::Source => "source",
            Column::Gpc => "gpc",
            Column::Usp => "usp",
            Column::Gpp => "gpp",
            Column::Action => "action",
            Column::Namespace => "namespace",
            Column::Value => "value",
            Column::IdType => "type",
        }
    }

    /// The column a header (CSV) or key (JSONL) names: case, `_`, `-` and spaces do not
    /// matter (`opt_out`, `OptOut`, `Request-ID` all work); `None` for other columns.
    pub fn from_header(header: &str) -> Option<Column> {
        let folded: String = header
            .trim_start_matches('\u{feff}')
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        Column::ALL
            .into_iter()
            .find(|column| column.name().eq_ignore_ascii_case(&folded))
            .or(match folded.as_str() {
                "usprivacy" => Some(Column::Usp),
                _ => None,
            })
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// One value as the input format gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text (every CSV value; a JSON string).
    Text(String),
    /// A boolean: a JSON boolean, or a CSV `true`/`false` in any case.
    Bool(bool),
    /// A JSON number, as written.
    Number(String),
    /// Any other JSON value: its type, for messages (`an array`, `an object`).
    Other(&'static str),
}

impl Cell {
    /// The cell as text for columns that hold text; numbers are accepted as written.
    pub fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(text) | Cell::Number(text) => Some(text),
            Cell::Bool(_) | Cell::Other(_) => None,
        }
    }

    /// The text that a derived request id hashes.
    fn canonical(&self) -> &str {
        match self {
            Cell::Text(text) | Cell::Number(text) => text,
            Cell::Bool(true) => "true",
            Cell::Bool(false) => "false",
            Cell::Other(kind) => kind,
        }
    }
}

/// The known columns of one row; empty values are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowFields {
    cells: [Option<Cell>; Column::ALL.len()],
}

impl RowFields {
    /// Sets a column (an empty text or a JSON `null` is best left absent by the caller).
    pub fn set(&mut self, column: Column, cell: Cell) {
        self.cells[column.index()] = Some(cell);
    }

    /// A column's cell.
    pub fn get(&self, column: Column) -> Option<&Cell> {
        self.cells[column.index()].as_ref()
    }

    /// Whether no known column has a value.
    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(Option::is_none)
    }

    /// The bytes a derived request id is a hash of: each present column, by name, in a fixed
    /// order, so the same request hashes the same from CSV or JSONL and whatever the column
    /// order. The request id itself is left out (it is absent when this is used).
    pub fn canonical_content(&self) -> Vec<u8> {
        let mut content = b"row-v1".to_vec();
        for column in Column::ALL {
            if column == Column::RequestId {
                continue;
            }
            if let Some(cell) = self.get(column) {
                content.push(0x1e);
                content.extend_from_slice(column.name().as_bytes());
                content.push(0x1f);
                content.extend_from_slice(cell.canonical().as_bytes());
            }
        }
        content
    }
}

/// A row as read from the input, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// The 1-based line where the row starts.
    pub line: u64,
    /// The input's byte offset just after the row (for progress).
    pub end_offset: u64,
    /// The columns, or why the row could not be read (with the raw bytes' content for a
    /// derived request id).
    pub fields: Result<RowFields, Unreadable>,
}

/// A row the format reader could not make sense of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Why, without the row's content.
    pub reason: String,
    /// The raw content, hashed into the derived request id.
    pub content: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_spellings_fold_to_the_documented_columns() {
        for (header, column) in [
            ("email", Column::Email),
            ("EMAIL", Column::Email),
            ("\u{feff}email", Column::Email),
            ("PKey", Column::PKey),
            ("opt_out", Column::OptOut),
            ("optOut", Column::OptOut),
            ("Request-ID", Column::RequestId),
            ("received_at", Column::ReceivedAt),
            ("us_privacy", Column::Usp),
            ("GPP", Column::Gpp),
        ] {
            assert_eq!(Column::from_header(header), Some(column), "{header}");
        }
        assert_eq!(Column::from_header("firstName"), None);
    }

    #[test]
    fn canonical_content_ignores_column_order_and_the_request_id() {
        let mut a = RowFields::default();
        a.set(Column::Email, Cell::Text("ana@example.com".into()));
        a.set(Column::OptOut, Cell::Bool(true));
        let mut b = RowFields::default();
        b.set(Column::OptOut, Cell::Bool(true));
        b.set(Column::Email, Cell::Text("ana@example.com".into()));
        assert_eq!(a.canonical_content(), b.canonical_content());
        b.set(Column::RequestId, Cell::Text("r1".into()));
        assert_eq!(a.canonical_content(), b.canonical_content());
        b.set(Column::OptOut, Cell::Bool(false));
        assert_ne!(a.canonical_content(), b.canonical_content());
    }
}
