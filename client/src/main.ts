// The browser client lands with issue 4; until then the page says where the game socket is.
document.querySelector('#app')!.textContent = 'Tickforge server is running. The browser client is not built yet.';
