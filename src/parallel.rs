//! The one way work is shared out over the cores: [`map`] for a list of independent items
//! (search hits' snippets, files' fixity checks, a PDF's pages), [`workers`] for a pool of
//! workers feeding one consumer (ingest's readers and its writer). Threads are scoped: they
//! borrow what they need and are all joined before these return.

use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// How many threads to use: the cores there are.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// A lock's content, also after a thread panicked holding it. Every caller writes what a lock
/// guards whole (a map entry, a count), so what a panic left behind is still consistent, and
/// one failed worker does not take the others down with it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A worker thread panicked; what it was doing was not finished.
#[derive(Debug, thiserror::Error)]
#[error("a worker thread stopped on an internal error")]
pub struct Panicked;

/// `work(i, &items[i])` for every item, on up to `threads` threads, the results in item order.
/// Items are handed out one at a time, so a long item does not hold back the rest. Once `stop`
/// holds for a result, items not yet started are not started (`None`: a PDF whose page failed
/// needs no more pages read).
pub fn map_until<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    work: impl Fn(usize, &T) -> R + Sync,
    stop: impl Fn(&R) -> bool + Sync,
) -> Result<Vec<Option<R>>, Panicked> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = threads.min(items.len()).max(1);
    let next = AtomicUsize::new(0);
    let parts: Vec<Option<Vec<(usize, R)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (next, work, stop) = (&next, &work, &stop);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        let result = work(i, item);
                        if stop(&result) {
                            next.store(items.len(), Ordering::Relaxed);
                        }
                        done.push((i, result));
                    }
                    done
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    let mut out: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for part in parts {
        for (i, result) in part.ok_or(Panicked)? {
            out[i] = Some(result);
        }
    }
    Ok(out)
}

/// `work(i, &items[i])` for every item, on up to `threads` threads, the results in item order.
pub fn map<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    work: impl Fn(usize, &T) -> R + Sync,
) -> Result<Vec<R>, Panicked> {
    let done = map_until(threads, items, work, |_| false)?;
    done.into_iter().map(|r| r.ok_or(Panicked)).collect()
}

/// `threads` workers feeding `consume`, which runs on this thread, through a channel that holds
/// at most `queue` items: each worker gets its own sender, and `consume`'s receiver ends when
/// every worker has returned. Returns what `consume` returns, once every worker has ended.
pub fn workers<T: Send, R>(
    threads: usize,
    queue: usize,
    work: impl Fn(&SyncSender<T>) + Sync,
    consume: impl FnOnce(Receiver<T>) -> R,
) -> Result<R, Panicked> {
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<T>(queue);
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                let (sender, work) = (sender.clone(), &work);
                scope.spawn(move || work(&sender))
            })
            .collect();
        drop(sender);
        let result = consume(receiver);
        // Every one joined (a scope panics over a panicked thread left unjoined).
        let joined: Vec<bool> = handles.into_iter().map(|h| h.join().is_ok()).collect();
        if joined.into_iter().all(|ok| ok) {
            Ok(result)
        } else {
            Err(Panicked)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order() -> Result<(), Panicked> {
        let items: Vec<usize> = (0..100).collect();
        for threads in [1, 2, 8] {
            let squares = map(threads, &items, |i, n| {
                assert_eq!(i, *n);
                n * n
            })?;
            assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        }
        assert!(map(4, &[] as &[usize], |_, n| *n)?.is_empty());
        Ok(())
    }

    #[test]
    fn a_stop_leaves_later_items_unstarted() -> Result<(), Panicked> {
        let items: Vec<usize> = (0..1000).collect();
        for threads in [1, 2] {
            let done = map_until(threads, &items, |_, n| *n, |n| *n == 3)?;
            assert_eq!(done.len(), 1000);
            assert_eq!(done[3], Some(3));
            // Threads that had taken an item before the stop finish it; no more start.
            assert!(done.iter().flatten().count() <= 3 + threads + 1);
        }
        Ok(())
    }

    #[test]
    fn a_panic_is_an_error_not_a_crash() {
        let items = [1, 2, 3];
        let result = map(2, &items, |_, n| {
            if *n == 2 {
                panic!("a bug");
            }
            *n
        });
        assert!(result.is_err());
        let result = workers(2, 1, |_: &SyncSender<u8>| panic!("a bug"), |_| 7);
        assert!(result.is_err());
    }

    #[test]
    fn workers_feed_the_consumer_until_they_end() -> Result<(), Panicked> {
        let sum = workers(
            3,
            2,
            |sender| {
                for n in 1..=10u32 {
                    let _ = sender.send(n);
                }
            },
            |receiver| receiver.iter().sum::<u32>(),
        )?;
        assert_eq!(sum, 3 * 55);
        Ok(())
    }
}
