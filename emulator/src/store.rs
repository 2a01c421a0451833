//! The in-memory profile store: records in creation order, with PKey and text indexes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::fields;
use crate::pkey::pkey_for;

/// One stored profile: server-set metadata plus every written field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Creation sequence number: default listing order, and the source of the PKey.
    pub seq: u64,
    /// The `@…` primary key.
    pub pkey: String,
    /// `created`, milliseconds since the epoch.
    pub created: i64,
    /// `lastModified`, milliseconds since the epoch.
    pub modified: i64,
    /// The written fields (defaults included), without server-set ones.
    pub fields: Map<String, Value>,
}

impl Record {
    /// A string field, or `""` when absent or not a string.
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).and_then(Value::as_str).unwrap_or("")
    }
}

/// The indexed text fields: `byEmail` (exact) and `byText` (prefix) read these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// `email`.
    Email,
    /// `firstName`.
    FirstName,
    /// `lastName`.
    LastName,
}

impl TextField {
    fn name(self) -> &'static str {
        match self {
            TextField::Email => "email",
            TextField::FirstName => "firstName",
            TextField::LastName => "lastName",
        }
    }
}

/// Sequence numbers by field value, ordered so that prefix scans are range scans.
#[derive(Debug, Default)]
struct TextIndex(BTreeMap<String, BTreeSet<u64>>);

impl TextIndex {
    fn insert(&mut self, value: &str, seq: u64) {
        self.0.entry(value.to_owned()).or_default().insert(seq);
    }

    fn remove(&mut self, value: &str, seq: u64) {
        if let Some(seqs) = self.0.get_mut(value) {
            seqs.remove(&seq);
            if seqs.is_empty() {
                self.0.remove(value);
            }
        }
    }

    fn exact(&self, value: &str) -> impl Iterator<Item = u64> + '_ {
        self.0.get(value).into_iter().flatten().copied()
    }

    fn prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = u64> + 'a {
        self.0
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(value, _)| value.starts_with(prefix))
            .flat_map(|(_, seqs)| seqs.iter().copied())
    }
}

/// Every profile, indexed.
#[derive(Debug, Default)]
pub struct Store {
    records: BTreeMap<u64, Record>,
    by_pkey: HashMap<String, u64>,
    indexes: [TextIndex; 3],
    next_seq: u64,
}

const INDEXED: [TextField; 3] = [TextField::Email, TextField::FirstName, TextField::LastName];

impl Store {
    /// Creates a profile from validated fields (defaults fill the rest) and returns it.
    pub fn create(&mut self, written: Map<String, Value>, now: i64) -> &Record {
        self.create_dated(written, now, now)
    }

    /// Creates a profile with given `created` and `lastModified` times (seed data).
    pub fn create_dated(
        &mut self,
        written: Map<String, Value>,
        created: i64,
        modified: i64,
    ) -> &Record {
        let mut values = fields::defaults();
        values.extend(written);
        let seq = self.next_seq;
        let record = Record {
            seq,
            pkey: pkey_for(seq),
            created,
            modified,
            fields: values,
        };
        self.put(record)
    }

    /// Inserts or replaces a whole record (seeding, replaying the data file) and returns it.
    pub fn put(&mut self, record: Record) -> &Record {
        self.next_seq = self.next_seq.max(record.seq.saturating_add(1));
        if let Some(old) = self.by_pkey.get(&record.pkey).copied() {
            self.remove_seq(old);
        }
        self.index(&record, true);
        let seq = record.seq;
        self.by_pkey.insert(record.pkey.clone(), seq);
        insert_and_get(&mut self.records, seq, record)
    }

    /// Applies validated changes to a profile; `None` if the PKey is unknown.
    pub fn patch(&mut self, pkey: &str, changes: Map<String, Value>, now: i64) -> Option<&Record> {
        let seq = *self.by_pkey.get(pkey)?;
        let mut record = self.records.remove(&seq)?;
        self.index(&record, false);
        if !changes.is_empty() {
            record.fields.extend(changes);
            record.modified = now;
        }
        self.index(&record, true);
        Some(insert_and_get(&mut self.records, seq, record))
    }

    /// Deletes a profile; `None` if the PKey is unknown.
    pub fn delete(&mut self, pkey: &str) -> Option<Record> {
        let seq = self.by_pkey.get(pkey).copied()?;
        self.remove_seq(seq)
    }

    /// Empties the store; sequence numbers start again at 0 (so seeding gives the same PKeys).
    pub fn clear(&mut self) {
        *self = Store::default();
    }

    /// The profile with this PKey.
    pub fn get(&self, pkey: &str) -> Option<&Record> {
        self.by_pkey.get(pkey).and_then(|seq| self.records.get(seq))
    }

    /// The profile with this sequence number.
    pub fn by_seq(&self, seq: u64) -> Option<&Record> {
        self.records.get(&seq)
    }

    /// Every profile in creation order, starting at sequence number `from`.
    pub fn starting_at(&self, from: u64) -> impl Iterator<Item = &Record> {
        self.records.range(from..).map(|(_, record)| record)
    }

    /// Sequence numbers of the profiles whose `field` equals `value` exactly, ascending.
    pub fn exact(&self, field: TextField, value: &str) -> Vec<u64> {
        let mut seqs: Vec<u64> = self.indexes[field as usize].exact(value).collect();
        seqs.sort_unstable();
        seqs
    }

    /// Sequence numbers of the profiles whose `field` starts with `prefix` (case-sensitive), ascending.
    pub fn prefix(&self, field: TextField, prefix: &str) -> Vec<u64> {
        let mut seqs: Vec<u64> = self.indexes[field as usize].prefix(prefix).collect();
        seqs.sort_unstable();
        seqs
    }

    /// Number of profiles.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// The sequence number the next created profile gets.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Never hand out a sequence number below `seq` (remembered across restarts by the data file).
    pub fn reserve_seq(&mut self, seq: u64) {
        self.next_seq = self.next_seq.max(seq);
    }

    fn remove_seq(&mut self, seq: u64) -> Option<Record> {
        let record = self.records.remove(&seq)?;
        self.index(&record, false);
        self.by_pkey.remove(&record.pkey);
        Some(record)
    }

    fn index(&mut self, record: &Record, add: bool) {
        for field in INDEXED {
            let value = record.text(field.name());
            let index = &mut self.indexes[field as usize];
            if add {
                index.insert(value, record.seq);
            } else {
                index.remove(value, record.seq);
            }
        }
    }
}

/// Inserts and returns a reference to the stored value, without a second lookup that could fail.
fn insert_and_get(records: &mut BTreeMap<u64, Record>, seq: u64, record: Record) -> &Record {
    match records.entry(seq) {
        std::collections::btree_map::Entry::Vacant(slot) => slot.insert(record),
        std::collections::btree_map::Entry::Occupied(mut slot) => {
            slot.insert(record);
            slot.into_mut()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn indexes_follow_creates_patches_and_deletes() {
        let mut store = Store::default();
        let a = store
            .create(
                fields(json!({"email": "ana@example.com", "lastName": "Silva"})),
                1,
            )
            .pkey
            .clone();
        let b = store
            .create(
                fields(json!({"email": "ana@example.com", "lastName": "Sousa"})),
                2,
            )
            .pkey
            .clone();
        assert_eq!(store.exact(TextField::Email, "ana@example.com"), vec![0, 1]);
        assert_eq!(store.prefix(TextField::LastName, "S"), vec![0, 1]);
        assert_eq!(store.prefix(TextField::LastName, "s"), Vec::<u64>::new());

        store.patch(&b, fields(json!({"email": "bea@example.com"})), 3);
        assert_eq!(store.exact(TextField::Email, "ana@example.com"), vec![0]);
        assert_eq!(store.get(&b).map(|r| r.modified), Some(3));

        store.delete(&a);
        assert_eq!(
            store.exact(TextField::Email, "ana@example.com"),
            Vec::<u64>::new()
        );
        assert_eq!(store.len(), 1);
        assert_eq!(store.next_seq(), 2);
    }

    #[test]
    fn empty_patch_keeps_last_modified() {
        let mut store = Store::default();
        let pkey = store.create(Map::new(), 5).pkey.clone();
        assert_eq!(
            store.patch(&pkey, Map::new(), 9).map(|r| r.modified),
            Some(5)
        );
        assert!(store.patch("@nope", Map::new(), 9).is_none());
    }
}
