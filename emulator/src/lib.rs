//! An offline Adobe Campaign Standard emulator.
